// Routes of the UI; one view per capability.
import { createRouter, createWebHashHistory } from 'vue-router'
import Dashboard from './views/Dashboard.vue'
import Registry from './views/Registry.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: Dashboard },
    { path: '/registry/:entity', component: Registry, props: true }
  ]
})
