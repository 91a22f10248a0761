// The signed-in user, shared by the shell, the router guard and the views. Until the
// accounts API answers (/api/v1/auth/me is "no such route"), the server treats every
// request as the bureau, and so does the UI (authEnabled false, role bureau).
import { reactive } from 'vue'
import { api, setCsrf } from './api.js'

export const session = reactive({ ready: false, authEnabled: false, user: null, routes: null })

// Role of the viewer: the user's role, 'public' when signed out, 'bureau' without accounts.
export function role() {
  if (!session.authEnabled) return 'bureau'
  return session.user ? session.user.role : 'public'
}

// The server's OpenAPI document says which routes exist and, per operation, what each role
// may do (x-roles: allow | owner | deny, from data/auth/authz.json). Kept as
// {"GET /api/v1/match": {role: rule}}; null when the document is not served.
async function loadRoutes() {
  try {
    const doc = await api('GET', '/openapi.json')
    const out = {}
    for (const [path, ops] of Object.entries(doc.paths || {}))
      for (const [method, op] of Object.entries(ops)) out[method.toUpperCase() + ' ' + path] = op['x-roles'] || null
    session.routes = out
  } catch { session.routes = null }
}

// Whether the viewer may call METHOD /api/v1PATH: false when the route does not exist or
// denies the viewer's role; true when allowed (or owner-only); null when unknown.
export function allowed(method, path) {
  if (!session.routes) return null
  const key = method + ' /api/v1' + path
  if (!(key in session.routes)) return false
  const roles = session.routes[key]
  return !roles || roles[role()] !== 'deny'
}
export function landed(method, path) {
  return session.routes ? (method + ' /api/v1' + path) in session.routes : null
}

// Asks the server who is signed in; resolves once session is filled in.
export async function loadSession() {
  await loadRoutes()
  try {
    const me = await api('GET', '/auth/me')
    session.authEnabled = true
    session.user = me.user || null
    if (me.csrf_token) setCsrf(me.csrf_token)
  } catch (e) {
    session.user = null
    session.authEnabled = !(e.status === 404 && e.problem?.detail === 'no such route')
  }
  session.ready = true
  return session
}

export async function login(username, password) {
  const r = await api('POST', '/auth/login', { username, password })
  setCsrf(r.csrf_token)
  session.authEnabled = true
  session.user = r.user
  return r.user
}

export async function logout() {
  try { await api('POST', '/auth/logout') } finally {
    setCsrf('')
    session.user = null
  }
}

export function changePassword(oldPassword, newPassword) {
  return api('POST', '/auth/password', { old_password: oldPassword, new_password: newPassword })
}

// Which pages each role sees in the navigation (SPEC "Roles"); the server decides what
// each request may do, this only keeps the menu to what is useful.
const PAGES = {
  bureau: ['dashboard', 'registry', 'match', 'chain', 'contracts', 'ledger', 'users'],
  enterprise: ['dashboard', 'registry', 'match'],
  platform: ['dashboard', 'registry', 'match'],
  broker: ['dashboard', 'registry', 'match', 'chain', 'contracts'],
  expert: ['dashboard', 'registry'],
  fund: ['dashboard', 'registry', 'chain'],
  public: ['dashboard', 'registry']
}
const PAGE_ROUTE = { match: '/demands', chain: '/chain/risk', contracts: '/contracts', ledger: '/ledger', users: '/users' }
export function canSee(page) {
  const a = PAGE_ROUTE[page] ? allowed('GET', PAGE_ROUTE[page]) : null
  if (a !== null) return a && (PAGES[role()] || PAGES.public).includes(page)
  return (PAGES[role()] || PAGES.public).includes(page)
}

// Registry entities the anonymous public may read (public rows only); shareholders and
// supply relations are the bureau's and the owning enterprise's. Keeps the UI from asking
// for what the server will refuse (data/auth/authz.json decides).
const PUBLIC_ENTITIES = ['industries', 'chains', 'segments', 'achievements', 'demands']
const OWNER_ENTITIES = ['shareholders', 'supplies']
export function canSeeEntity(plural) {
  const a = allowed('GET', '/' + plural)
  if (a !== null) return a
  const r = role()
  if (r === 'public') return PUBLIC_ENTITIES.includes(plural)
  if (r === 'bureau' || r === 'enterprise') return true
  return !OWNER_ENTITIES.includes(plural)
}
