import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'rapport:isPublic';
/** The endpoint needs no access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
