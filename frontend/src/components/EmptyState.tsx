import type { ReactNode } from "react";

export function EmptyState({
  title,
  children,
  art,
  action,
}: {
  title: string;
  children?: ReactNode;
  art?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <section className="empty-state">
      {art && <div className="empty-state__art">{art}</div>}
      <h2 className="empty-state__title">{title}</h2>
      {children && <div className="empty-state__text">{children}</div>}
      {action && <div className="empty-state__action">{action}</div>}
    </section>
  );
}

/** A search that found nothing: says so (not the empty-library state) and offers to clear it. */
export function NoMatch({ q, onClear }: { q: string; onClear: () => void }) {
  return (
    <section className="empty-state">
      <h2 className="empty-state__title">No photos match “{q}”</h2>
      <div className="empty-state__text">
        <p>Only file names are searched, ignoring case.</p>
      </div>
      <div className="empty-state__action">
        <button type="button" className="button button--ghost" onClick={onClear}>
          Show all photos
        </button>
      </div>
    </section>
  );
}

/** A stack of tilted photo frames, drawn in CSS colours, for empty pages. */
export function PhotoStackArt() {
  return (
    <svg viewBox="0 0 200 140" width="200" height="140" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="empty-sky" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#ffd7a8" />
          <stop offset="1" stopColor="#ff8fb1" />
        </linearGradient>
        <linearGradient id="empty-sea" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#8fa2ff" />
          <stop offset="1" stopColor="#5b6cf0" />
        </linearGradient>
      </defs>
      <g transform="rotate(-10 70 80)">
        <rect x="25" y="30" width="90" height="70" rx="8" fill="var(--surface-2)" stroke="var(--line)" />
        <rect x="32" y="37" width="76" height="50" rx="4" fill="url(#empty-sea)" opacity=".55" />
      </g>
      <g transform="rotate(8 130 70)">
        <rect x="80" y="18" width="100" height="80" rx="8" fill="var(--surface)" stroke="var(--line)" />
        <rect x="88" y="26" width="84" height="56" rx="4" fill="url(#empty-sky)" />
        <circle cx="150" cy="42" r="7" fill="#fff" opacity=".9" />
        <path d="M88 82l24-22 14 12 12-9 34 19z" fill="url(#empty-sea)" />
      </g>
    </svg>
  );
}
