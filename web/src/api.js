// Talks to /api/v1; turns RFC 7807 problem documents into errors that carry the
// per-field messages (errors[].path "$.field") so forms can show them at the field.
// Every state-changing request carries the session's CSRF token (X-CSRF-Token).
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
    this.fields = {}
    for (const e of this.problem.errors || []) {
      const m = /^\$\.([A-Za-z0-9_]+)/.exec(e.path || '')
      if (m && !(m[1] in this.fields)) this.fields[m[1]] = e.detail || this.problem.title || 'invalid value'
    }
  }
}

let csrfToken = sessionStorage.getItem('csrf') || ''
// Remembers the CSRF token the server handed out at login (or /auth/me); '' forgets it.
export function setCsrf(token) {
  csrfToken = token || ''
  if (csrfToken) sessionStorage.setItem('csrf', csrfToken)
  else sessionStorage.removeItem('csrf')
}

// Called with the ApiError of every 401 on a request other than the auth ones, so the
// shell can send the user back to the login page when the session has ended.
let onUnauthorized = null
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export async function api(method, path, body) {
  const opt = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' }
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json'
    opt.body = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) opt.headers['X-CSRF-Token'] = csrfToken
  const r = await fetch('/api/v1' + path, opt)
  if (r.status === 204) return null
  const ct = r.headers.get('Content-Type') || ''
  const data = ct.includes('json') ? await r.json() : await r.text()
  if (!r.ok) {
    const err = new ApiError(r.status, typeof data === 'object' ? data : { detail: data })
    if (r.status === 401 && !path.startsWith('/auth/') && onUnauthorized) onUnauthorized(err)
    throw err
  }
  return data
}

let schemaPromise = null
// The registry's entities as the server declares them (GET /api/v1/entities).
export function loadSchema() {
  if (!schemaPromise) schemaPromise = api('GET', '/entities').then(s => (Array.isArray(s) ? s : s.entities || []))
    .catch(e => { schemaPromise = null; throw e })
  return schemaPromise
}

// Money is int64 fen on the wire; shown as yuan with two decimals and thousands separators.
export function yuan(fen) {
  if (fen === null || fen === undefined) return ''
  const neg = fen < 0
  const a = Math.abs(Math.trunc(fen))
  const s = Math.floor(a / 100).toLocaleString('en-US') + '.' + String(a % 100).padStart(2, '0')
  return (neg ? '-' : '') + s
}

const probes = {}
// Whether a route has landed on this server: the router answers a path it does not know
// with 404 "no such route"; any other answer (400 for a missing parameter...) means it exists.
export function hasRoute(path) {
  if (!(path in probes)) {
    probes[path] = fetch('/api/v1' + path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(async r => {
        if (r.status !== 404) return true
        const p = await r.json().catch(() => ({}))
        return p.detail !== 'no such route'
      }).catch(() => false)
  }
  return probes[path]
}
