// The API reference at /docs: plain HTML rendered on the server from our own OpenAPI document, so
// it needs no script, reads well with a screen reader (headings, tables with headers, one label per
// control: axe finds nothing serious) and stays in step with the zod schemas. The raw document
// stays at /api/v1/openapi.json for tools that want it (Postman, code generators, Swagger UI).

/** The parts of an OpenAPI 3.1 document this page reads. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Content {
  [mediaType: string]: { schema?: Schema };
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
}
export interface ReferenceDocument {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** `code` in descriptions becomes <code>; everything else is escaped. */
const prose = (s: string | undefined) => (s ? esc(s).replace(/`([^`]+)`/g, '<code>$1</code>') : '');
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
const refName = (ref: string) => ref.split('/').pop()!;
const opId = (method: string, path: string) => `op-${method}-${slug(path)}`;

/** A schema in a few words: "string (date)", "array of LedgerEntry", "one of: a, b". */
function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) {
    const name = refName(s.$ref);
    return `<a href="#schema-${slug(name)}">${esc(name)}</a>`;
  }
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.enum) return `one of ${s.enum.map((v) => `<code>${esc(v)}</code>`).join(', ')}`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(' or ');
  if (s.allOf) return s.allOf.map(typeOf).join(' and ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const main = types
    .map((t) => {
      if (t === 'array') return `array of ${typeOf(s.items)}`;
      if (t === 'object' && !s.properties && s.additionalProperties && s.additionalProperties !== true)
        return `map of ${typeOf(s.additionalProperties)}`;
      return esc(t);
    })
    .join(' or ');
  const limits = [
    s.format && esc(s.format),
    s.minimum !== undefined && `≥ ${esc(s.minimum)}`,
    s.maximum !== undefined && `≤ ${esc(s.maximum)}`,
    s.default !== undefined && `default <code>${esc(JSON.stringify(s.default))}</code>`,
  ].filter(Boolean);
  return `${main || 'any'}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

/** An object's fields as a table; nested objects inside it get tables of their own, to a depth. */
function fields(s: Schema | undefined, caption: string, depth = 0): string {
  if (!s) return '';
  if (s.$ref || !s.properties) {
    if (s.type === 'array' && s.items?.properties && depth < 1) return fields(s.items, `${caption}[]`, depth);
    return `<p>${esc(caption)}: ${typeOf(s)}</p>`;
  }
  const required = new Set(s.required ?? []);
  const rows = Object.entries(s.properties).map(([name, p]) => {
    const nested =
      depth < 1 && (p.properties || (p.type === 'array' && p.items?.properties))
        ? fields(p, `${caption}.${name}`, depth + 1)
        : '';
    return `<tr><th scope="row"><code>${esc(name)}</code></th><td>${typeOf(p)}</td><td>${
      required.has(name) ? 'yes' : 'no'
    }</td><td>${prose(p.description)}${nested}</td></tr>`;
  });
  return `<div class="table-wrap" role="region" tabindex="0" aria-label="${esc(caption)}"><table><caption>${esc(
    caption,
  )}</caption><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead><tbody>${rows.join(
    '',
  )}</tbody></table></div>`;
}

function schemaOf(content: Content | undefined): { type: string; schema: Schema | undefined } | null {
  if (!content) return null;
  const [type, media] = Object.entries(content)[0] ?? [];
  return type ? { type, schema: media?.schema } : null;
}

function operation(method: string, path: string, op: Operation, headingLevel: 3 | 4 = 3): string {
  const id = opId(method, path);
  const h = `h${headingLevel}`;
  const out = [
    `<section class="operation" aria-labelledby="${id}"><${h} id="${id}"><span class="method method-${method}">${method.toUpperCase()}</span> <code class="path">${esc(
      path,
    )}</code></${h}>`,
  ];
  if (op.summary) out.push(`<p class="summary">${prose(op.summary)}</p>`);
  if (op.description) out.push(`<p>${prose(op.description)}</p>`);
  out.push(
    `<p class="auth">${
      op.security && op.security.length > 0
        ? 'Authentication: an API key (<code>Authorization: Bearer cra_…</code>) or the web app’s session.'
        : 'No API key: public, or authenticated as described.'
    }</p>`,
  );
  if (op.parameters?.length) {
    const rows = op.parameters.map(
      (p) =>
        `<tr><th scope="row"><code>${esc(p.name)}</code></th><td>${esc(p.in)}</td><td>${typeOf(p.schema)}</td><td>${
          p.required ? 'yes' : 'no'
        }</td><td>${prose(p.description ?? p.schema?.description)}</td></tr>`,
    );
    out.push(
      `<div class="table-wrap" role="region" tabindex="0" aria-label="Parameters of ${method.toUpperCase()} ${esc(
        path,
      )}"><table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead><tbody>${rows.join(
        '',
      )}</tbody></table></div>`,
    );
  }
  const body = schemaOf(op.requestBody?.content);
  if (body)
    out.push(
      `<p>Request body (<code>${esc(body.type)}</code>):</p>${fields(body.schema, `Request body of ${method.toUpperCase()} ${path}`)}`,
    );
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => {
    const c = schemaOf(r.content);
    return `<li><strong>${esc(status)}</strong> ${prose(r.description)}${
      c ? ` — <code>${esc(c.type)}</code>: ${typeOf(c.schema)}` : ''
    }</li>`;
  });
  if (responses.length) out.push(`<p>Responses:</p><ul class="responses">${responses.join('')}</ul>`);
  out.push('</section>');
  return out.join('\n');
}

type Entry = { method: string; path: string; op: Operation };
function entries(paths: Record<string, Record<string, Operation>> | undefined): Entry[] {
  return Object.entries(paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })),
  );
}

export function renderReference(doc: ReferenceDocument, jsonPath: string): string {
  const all = entries(doc.paths);
  const tags = [...(doc.tags ?? [])];
  for (const e of all)
    for (const t of e.op.tags ?? ['Other']) if (!tags.some((x) => x.name === t)) tags.push({ name: t });
  const byTag = (tag: string) => all.filter((e) => (e.op.tags ?? ['Other']).includes(tag));
  const webhooks = entries(doc.webhooks);
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));

  const toc = tags
    .map(
      (t) =>
        `<li><a href="#tag-${slug(t.name)}">${esc(t.name)}</a><ul>${byTag(t.name)
          .map(
            (e) =>
              `<li><a href="#${opId(e.method, e.path)}"><span class="method method-${e.method}">${e.method.toUpperCase()}</span> ${esc(
                e.path,
              )}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = tags.map(
    (t) =>
      `<section aria-labelledby="tag-${slug(t.name)}"><h2 id="tag-${slug(t.name)}">${esc(t.name)}</h2>${
        t.description ? `<p>${prose(t.description)}</p>` : ''
      }${byTag(t.name)
        .map((e) => operation(e.method, e.path, e.op))
        .join('\n')}</section>`,
  );
  const hooks = webhooks.length
    ? `<section aria-labelledby="webhooks"><h2 id="webhooks">Webhooks we accept</h2>${webhooks
        .map((e) => operation(e.method, e.path, e.op))
        .join('\n')}</section>`
    : '';
  const models = `<section aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>${schemas
    .map(
      ([name, s]) =>
        `<section class="schema" aria-labelledby="schema-${slug(name)}"><h3 id="schema-${slug(name)}">${esc(
          name,
        )}</h3>${s.description ? `<p>${prose(s.description)}</p>` : ''}${
          s.properties ? fields(s, `Fields of ${name}`) : `<p>${typeOf(s)}</p>`
        }</section>`,
    )
    .join('\n')}</section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} · reference</title>
<link rel="stylesheet" href="/docs/reference.css">
</head>
<body>
<a class="skip" href="#main">Skip to the reference</a>
<header><p class="brand">${esc(doc.info.title)} <span class="version">v${esc(doc.info.version)}</span></p></header>
<div class="layout">
<nav aria-label="Operations"><h2 class="nav-title">Operations</h2><ul>${toc}${
    webhooks.length ? '<li><a href="#webhooks">Webhooks we accept</a></li>' : ''
  }<li><a href="#schemas">Schemas</a></li></ul></nav>
<main id="main">
<h1>API reference</h1>
<p>${prose(doc.info.description)}</p>
<p>Base URL: ${(doc.servers ?? []).map((s) => `<code>${esc(s.url)}</code>`).join(', ') || 'this service'}. The OpenAPI 3.1 document: <a href="${esc(
    jsonPath,
  )}">${esc(jsonPath)}</a> (for Postman, code generators or Swagger UI).</p>
${sections.join('\n')}
${hooks}
${models}
</main>
</div>
</body>
</html>
`;
}

/** The page's stylesheet: the web app's palette, every text colour at 4.5:1 or more on its background. */
export const REFERENCE_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#101828;background:#fff}
a{color:#1d4ed8}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:#f2f4f7;border-radius:4px;padding:0 3px;overflow-wrap:anywhere}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:1}
header{padding:12px 24px;border-bottom:1px solid #d0d5dd}
.brand{margin:0;font-weight:600}.version{color:#475467;font-weight:400}
.layout{display:grid;grid-template-columns:300px minmax(0,1fr)}
nav{border-right:1px solid #d0d5dd;padding:16px;position:sticky;top:0;max-height:100vh;overflow:auto}
nav ul{list-style:none;margin:0;padding:0}nav ul ul{padding-left:8px;margin-bottom:8px}
nav a{display:block;padding:2px 0;text-decoration:none;overflow-wrap:anywhere}nav a:hover{text-decoration:underline}
.nav-title{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#475467;margin:0 0 8px}
main{padding:16px 32px 64px;min-width:0}
h1{margin-top:8px}h2{margin-top:40px;border-bottom:1px solid #d0d5dd;padding-bottom:4px}
.operation{border:1px solid #d0d5dd;border-radius:8px;padding:4px 16px 12px;margin:16px 0}
.operation h3{font-size:16px;overflow-wrap:anywhere}
.method{display:inline-block;min-width:58px;text-align:center;font:600 12px/20px ui-monospace,monospace;border-radius:4px;padding:0 6px;color:#fff;background:#344054}
.method-get{background:#1d4ed8}.method-post{background:#047857}.method-patch{background:#92400e}.method-delete{background:#b42318}
.summary{font-weight:600}.auth{color:#475467;font-size:14px}
.table-wrap{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-top:1px solid #eaecf0;padding:6px 8px;text-align:left;vertical-align:top}
thead th{color:#344054;background:#f9fafb}
.responses{padding-left:20px}
@media (max-width:800px){.layout{grid-template-columns:1fr}nav{position:static;max-height:none;border-right:0;border-bottom:1px solid #d0d5dd}main{padding:16px}}
`;
