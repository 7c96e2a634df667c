import type { HTMLAttributes } from 'react';

export function Card({ className = '', ...rest }: HTMLAttributes<HTMLElement>) {
  return <section className={`rounded-xl border border-slate-200 bg-white p-4 shadow-sm ${className}`} {...rest} />;
}
