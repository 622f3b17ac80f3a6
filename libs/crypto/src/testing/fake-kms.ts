import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for AWS KMS speaking its wire format (AWS JSON 1.1: `POST /` with
 * `X-Amz-Target: TrentService.<Operation>`, base64 blobs, errors as HTTP 400 with `__type`), for
 * the symmetric Encrypt/Decrypt the key provider uses. Ciphertexts name their key and are bound
 * to the encryption context, as KMS's are: a different context is `InvalidCiphertextException`, a
 * different `KeyId` is `IncorrectKeyException`. Requests without a SigV4 Authorization header are
 * refused. Tests can script errors (throttling, access denied) and disable keys.
 */
export interface FakeKms {
  url: string;
  region: string;
  /** Key ARNs by the ids and aliases that reach them. */
  createKey(alias?: string): { keyId: string; arn: string };
  disable(keyIdOrAlias: string): void;
  /** The next calls of this operation fail with these AWS error types. */
  failNext(operation: 'Encrypt' | 'Decrypt', ...types: string[]): void;
  calls: Array<{ operation: string; keyId: string | null; authorization: string | undefined }>;
  close(): Promise<void>;
}

const ACCOUNT = '111122223333';

interface Key {
  arn: string;
  material: Buffer;
  enabled: boolean;
}

export async function startFakeKms(region = 'eu-west-1'): Promise<FakeKms> {
  const keys = new Map<string, Key>(); // by key id, ARN, alias name and alias ARN
  const failures = new Map<string, string[]>();
  const calls: FakeKms['calls'] = [];

  const error = (res: ServerResponse, type: string, message: string, status = 400) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const ok = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const aad = (context: unknown) =>
    Buffer.from(JSON.stringify(Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => a.localeCompare(b))));

  const handle = (headers: IncomingHttpHeaders, raw: Buffer, res: ServerResponse) => {
    const target = String(headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return error(res, 'SerializationException', 'Request body is not valid JSON');
    }
    calls.push({ operation, keyId: typeof body.KeyId === 'string' ? body.KeyId : null, authorization: headers.authorization });
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/kms\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/.test(String(headers.authorization ?? ''))) {
      return error(res, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
    if (headers['content-type'] !== 'application/x-amz-json-1.1') return error(res, 'SerializationException', 'Content-Type must be application/x-amz-json-1.1');
    const scripted = failures.get(operation)?.shift();
    if (scripted) return error(res, scripted, `Scripted ${scripted}`, scripted === 'KMSInternalException' ? 500 : 400);
    const key = (id: unknown) => (typeof id === 'string' ? keys.get(id) : undefined);
    switch (operation) {
      case 'Encrypt': {
        const k = key(body.KeyId);
        if (!k) return error(res, 'NotFoundException', `Key '${String(body.KeyId)}' does not exist`);
        if (!k.enabled) return error(res, 'DisabledException', `${k.arn} is disabled.`);
        const plain = Buffer.from(String(body.Plaintext ?? ''), 'base64');
        if (!plain.length || plain.length > 4096) return error(res, 'ValidationException', 'Plaintext must be 1 to 4096 bytes');
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', k.material, iv);
        c.setAAD(aad(body.EncryptionContext));
        const sealed = Buffer.concat([c.update(plain), c.final()]);
        const arn = Buffer.from(k.arn);
        const blob = Buffer.concat([Buffer.from([arn.length]), arn, iv, c.getAuthTag(), sealed]);
        return ok(res, { CiphertextBlob: blob.toString('base64'), KeyId: k.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
      }
      case 'Decrypt': {
        const blob = Buffer.from(String(body.CiphertextBlob ?? ''), 'base64');
        const arnLength = blob[0] ?? 0;
        const owner = keys.get(blob.subarray(1, 1 + arnLength).toString());
        if (!owner || blob.length < 1 + arnLength + 28) return error(res, 'InvalidCiphertextException', '');
        if (body.KeyId !== undefined && key(body.KeyId)?.arn !== owner.arn) {
          return error(res, 'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
        }
        if (!owner.enabled) return error(res, 'DisabledException', `${owner.arn} is disabled.`);
        const at = 1 + arnLength;
        try {
          const d = createDecipheriv('aes-256-gcm', owner.material, blob.subarray(at, at + 12));
          d.setAAD(aad(body.EncryptionContext));
          d.setAuthTag(blob.subarray(at + 12, at + 28));
          const plain = Buffer.concat([d.update(blob.subarray(at + 28)), d.final()]);
          return ok(res, { KeyId: owner.arn, Plaintext: plain.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
        } catch {
          return error(res, 'InvalidCiphertextException', '');
        }
      }
      default:
        return error(res, 'UnknownOperationException', `Unknown operation ${target}`);
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || (req.url ?? '/') !== '/') return error(res, 'UnknownOperationException', 'POST / only', 404);
      handle(req.headers, Buffer.concat(chunks), res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    region,
    calls,
    createKey(alias) {
      const keyId = randomUUID();
      const k: Key = { arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`, material: randomBytes(32), enabled: true };
      for (const id of [keyId, k.arn, ...(alias ? [alias, `arn:aws:kms:${region}:${ACCOUNT}:${alias}`] : [])]) keys.set(id, k);
      return { keyId, arn: k.arn };
    },
    disable(id) {
      const k = keys.get(id);
      if (k) k.enabled = false;
    },
    failNext(operation, ...types) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...types]);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
