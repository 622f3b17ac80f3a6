import * as React from 'react';
import { cn } from '@/lib/utils';

// shadcn/ui Alert (default and destructive).
export function Alert({ className, variant = 'default', ...props }: React.HTMLAttributes<HTMLDivElement> & { variant?: 'default' | 'destructive' }) {
  return (
    <div
      role={variant === 'destructive' ? 'alert' : 'status'}
      className={cn('rounded-lg border px-4 py-3 text-sm', variant === 'destructive' ? 'border-destructive/40 bg-destructive/5 text-destructive' : 'bg-card', className)}
      {...props}
    />
  );
}
