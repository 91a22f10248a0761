// Routes of the UI; one view per capability. Until the session is known the guard waits;
// with accounts live, a signed-out visitor of a page the public cannot use goes to /login.
import { createRouter, createWebHashHistory } from 'vue-router'
import Dashboard from './views/Dashboard.vue'
import Registry from './views/Registry.vue'
import Login from './views/Login.vue'
import Match from './views/Match.vue'
import Chain from './views/Chain.vue'
import Contracts from './views/Contracts.vue'
import Ledger from './views/Ledger.vue'
import Users from './views/Users.vue'
import { session, loadSession, canSee } from './auth.js'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: Dashboard, meta: { page: 'dashboard' } },
    { path: '/login', component: Login, meta: { page: 'login' } },
    { path: '/registry/:entity', component: Registry, props: true, meta: { page: 'registry' } },
    { path: '/match', component: Match, meta: { page: 'match' } },
    { path: '/chain', component: Chain, meta: { page: 'chain' } },
    { path: '/contracts', component: Contracts, meta: { page: 'contracts' } },
    { path: '/ledger', component: Ledger, meta: { page: 'ledger' } },
    { path: '/users', component: Users, meta: { page: 'users' } },
    { path: '/:rest(.*)', redirect: '/' }
  ]
})

router.beforeEach(async to => {
  if (!session.ready) await loadSession()
  const page = to.meta.page
  if (page === 'login') return session.authEnabled && !session.user ? true : '/'
  if (canSee(page)) return true
  if (session.authEnabled && !session.user) return { path: '/login', query: { next: to.fullPath } }
  return '/'
})
