// Talks to /api/v1; turns RFC 7807 problem documents into errors that carry the
// per-field messages (errors[].path "$.field") so forms can show them at the field.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
    this.fields = {}
    for (const e of this.problem.errors || []) {
      const m = /^\$\.([A-Za-z0-9_]+)/.exec(e.path || '')
      if (m) this.fields[m[1]] = e.detail
    }
  }
}

export async function api(method, path, body) {
  const opt = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' }
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json'
    opt.body = JSON.stringify(body)
  }
  const r = await fetch('/api/v1' + path, opt)
  if (r.status === 204) return null
  const ct = r.headers.get('Content-Type') || ''
  const data = ct.includes('json') ? await r.json() : await r.text()
  if (!r.ok) throw new ApiError(r.status, typeof data === 'object' ? data : { detail: data })
  return data
}

let schemaPromise = null
// The registry's entities as the server declares them (GET /api/v1/entities).
export function loadSchema() {
  if (!schemaPromise) schemaPromise = api('GET', '/entities').then(s => (Array.isArray(s) ? s : s.entities || []))
  return schemaPromise
}
