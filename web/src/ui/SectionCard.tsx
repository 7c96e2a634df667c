import type { ReactNode } from 'react';
import { Card } from './Card';

/** A card with its own heading, labelled by it (profile sections, admin panels). */
export function SectionCard({ id, title, children, className = '' }: { id: string; title: string; children: ReactNode; className?: string }) {
  return (
    <Card aria-labelledby={id} className={className}>
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </Card>
  );
}
