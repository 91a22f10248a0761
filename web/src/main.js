// Entry of the chainfuse UI: Vue 3 + Element Plus + vue-i18n (中文 first, English second).
import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n.js'

const app = createApp(App)
app.use(ElementPlus, { locale: zhCn })
app.use(i18n)
app.use(router)
app.mount('#app')
