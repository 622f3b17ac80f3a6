import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { useDraft } from './hooks';

function Field({ server }: { server: string | undefined }) {
  const [value, setValue, reset] = useDraft(server, '');
  return (
    <>
      <input aria-label="name" value={value} onChange={(e) => setValue(e.target.value)} />
      <button onClick={reset}>reset</button>
    </>
  );
}

describe('useDraft: a form field that never loses what someone typed', () => {
  test('shows the fallback, then the server value once it arrives', () => {
    const { rerender } = render(<Field server={undefined} />);
    const input = screen.getByLabelText<HTMLInputElement>('name');
    expect(input.value).toBe('');
    rerender(<Field server="Ada" />);
    expect(input.value).toBe('Ada');
  });

  test('data arriving or refetched after the user typed does not overwrite the typing', () => {
    const { rerender } = render(<Field server={undefined} />);
    const input = screen.getByLabelText<HTMLInputElement>('name');
    fireEvent.change(input, { target: { value: 'Typed before the data came' } });
    rerender(<Field server="Server value" />);
    expect(input.value).toBe('Typed before the data came');
    rerender(<Field server="Refetched value" />);
    expect(input.value).toBe('Typed before the data came');
  });

  test('reset follows the server again (after a save)', () => {
    const { rerender } = render(<Field server="Old" />);
    const input = screen.getByLabelText<HTMLInputElement>('name');
    fireEvent.change(input, { target: { value: 'New' } });
    rerender(<Field server="New (saved)" />);
    act(() => screen.getByText('reset').click());
    expect(input.value).toBe('New (saved)');
  });
});
