// The small HTML pages the OAuth redirect lands on: what happened, and what to do next.
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function resultPage(opts: {
  ok: boolean;
  title: string;
  detail: string;
  next: { href: string; label: string };
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(opts.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; background: #f5f7fa; margin: 0; }
  main { max-width: 36rem; margin: 12vh auto; background: #fff; border-radius: 12px; padding: 2rem 2.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.35rem; margin: 0 0 .75rem; display: flex; gap: .6rem; align-items: center; }
  .mark { display: inline-grid; place-items: center; width: 1.8rem; height: 1.8rem; border-radius: 50%; color: #fff; font-size: 1rem; }
  .ok { background: #0b7a4b; } .fail { background: #b42318; }
  p { margin: 0 0 1.25rem; }
  a.button { display: inline-block; background: #1f4fd1; color: #fff; text-decoration: none; padding: .55rem 1.1rem; border-radius: 8px; }
  a.button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
</style>
</head>
<body>
<main role="main">
  <h1><span class="mark ${opts.ok ? 'ok' : 'fail'}" aria-hidden="true">${opts.ok ? '✓' : '!'}</span>${escape(opts.title)}</h1>
  <p>${escape(opts.detail)}</p>
  <a class="button" href="${escape(opts.next.href)}">${escape(opts.next.label)}</a>
</main>
</body>
</html>`;
}
