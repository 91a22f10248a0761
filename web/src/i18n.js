// UI texts, 中文 first and English second. Entity and field names come from the server's
// schema (Chinese labels) and are shown in English as the field's own name.
import { createI18n } from 'vue-i18n'

const messages = {
  zh: {
    app: { title: '两链融合服务平台', subtitle: '产业链 × 创新链', synthetic: '演示数据为合成数据', lang: 'English' },
    nav: { dashboard: '总览', registry: '资源登记', match: '科企对接', chain: '产业链图谱', contracts: '合同与奖补', ledger: '兑付台账' },
    common: {
      search: '搜索', create: '新建', edit: '编辑', delete: '删除', save: '保存', cancel: '取消', actions: '操作',
      total: '共 {n} 条', next: '下一页', prev: '上一页', first: '首页', empty: '暂无数据', loading: '加载中',
      confirmDelete: '确定删除这条记录？', saved: '已保存', deleted: '已删除', filter: '筛选', all: '全部',
      yes: '是', no: '否', synthetic: '合成', error: '出错了'
    },
    dash: { counts: '资源总量', byCounty: '各县(市、区)企业数', figures: '论文中的关键数字', source: '数据来源' }
  },
  en: {
    app: { title: 'chainfuse', subtitle: 'Industry chain × innovation chain', synthetic: 'Demo data is synthetic', lang: '中文' },
    nav: { dashboard: 'Dashboard', registry: 'Registry', match: 'Matchmaking', chain: 'Chain map', contracts: 'Contracts & awards', ledger: 'Ledger' },
    common: {
      search: 'Search', create: 'New', edit: 'Edit', delete: 'Delete', save: 'Save', cancel: 'Cancel', actions: 'Actions',
      total: '{n} in all', next: 'Next', prev: 'Previous', first: 'First', empty: 'Nothing here yet', loading: 'Loading',
      confirmDelete: 'Delete this record?', saved: 'Saved', deleted: 'Deleted', filter: 'Filter', all: 'All',
      yes: 'Yes', no: 'No', synthetic: 'synthetic', error: 'Something went wrong'
    },
    dash: { counts: 'Resources', byCounty: 'Enterprises by county', figures: 'Key figures from the paper', source: 'Source' }
  }
}

export const i18n = createI18n({ legacy: false, locale: localStorage.getItem('lang') || 'zh', fallbackLocale: 'zh', messages })

export function label(obj, locale) {
  if (!obj) return ''
  return locale === 'en' ? (obj.name || '').replace(/_/g, ' ') : obj.zh || obj.name
}
