// The small HTML pages a launch answers with, shown inside Canvas (usually in an iframe):
// our own look, inline CSS, no external assets, every value escaped.
import type { Response } from 'express';
import type { RecordedLaunch } from './launch-projection';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
  :root { color-scheme: light dark; --ink: #1d2733; --muted: #5b6776; --line: #d8dee6; --accent: #2b6cb0; --bad: #b42318; }
  @media (prefers-color-scheme: dark) { :root { --ink: #e7ecf2; --muted: #a3adba; --line: #3a4452; --accent: #7fb3ea; --bad: #ff8a80; } }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
  main { max-width: 40rem; margin: 2rem auto; padding: 0 1.25rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  h1.ok { color: var(--accent); } h1.bad { color: var(--bad); }
  p { margin: .25rem 0 1rem; color: var(--muted); }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 1rem 0;
       padding: 1rem; border: 1px solid var(--line); border-radius: .5rem; }
  dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
`;

export interface PageContent {
  tone: 'ok' | 'bad';
  heading: string;
  lead: string;
  /** Label → value (plain text; escaped here). Values may be null: shown as "—". */
  facts?: Array<[label: string, value: string | null]>;
}

export function renderPage(content: PageContent): string {
  const facts = content.facts?.length
    ? `<dl>${content.facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value === null ? '—' : escapeHtml(value)}</dd>`).join('')}</dl>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.heading)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1 class="${content.tone}">${escapeHtml(content.heading)}</h1>
<p>${escapeHtml(content.lead)}</p>
${facts}
</main>
</body>
</html>
`;
}

const WAITING_FOR_ACCOUNT = 'not known yet — joined once a live event names the root account of this consumer';

/** A verified, stored launch: what it recorded about its course and link. */
export function recordedPage(eventId: string, recorded: RecordedLaunch): string {
  const { courseTitle, courseLabel } = recorded;
  return renderPage({
    tone: 'ok',
    heading: 'Launch recorded',
    lead: `This launch was verified and stored as event ${eventId}.`,
    facts: [
      ['Course', courseTitle ? `${courseTitle}${courseLabel ? ` (${courseLabel})` : ''}` : null],
      ['Canvas course id', recorded.courseId ?? (recorded.namesCourse ? WAITING_FOR_ACCOUNT : null)],
      ['Resource link', recorded.linkTitle],
      ['Resource link id', recorded.linkId],
    ],
  });
}

export function refusedPage(reason: string): string {
  return renderPage({
    tone: 'bad',
    heading: 'Launch refused',
    lead: 'This LTI launch could not be accepted. Launch the tool again from Canvas; if this persists, show this page to the tool administrator.',
    facts: [['Reason', reason]],
  });
}

/** The database could not take the launch: nothing was acknowledged, launching again works later. */
export function unavailablePage(): string {
  return renderPage({
    tone: 'bad',
    heading: 'Launch not recorded',
    lead: 'The service cannot store launches right now. Please launch again in a minute.',
  });
}

/**
 * Pages are shown inside Canvas, in an iframe: unlike the rest of the API they may be
 * framed, and load nothing but their inline style.
 */
export function sendPage(res: Response, status: number, html: string): void {
  res.removeHeader('X-Frame-Options');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *",
  );
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('html').send(html);
}
