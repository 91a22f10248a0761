// UI texts, 中文 first and English second. Entity and field names come from the server's
// schema (Chinese labels) and are shown in English as the field's own name.
import { createI18n } from 'vue-i18n'

const messages = {
  zh: {
    app: { title: '两链融合服务平台', subtitle: '产业链 × 创新链', synthetic: '合成数据：演示数据均为合成，不代表真实企业', lang: 'English',
      noAuth: '账号服务尚未上线：当前按科技局身份访问' },
    nav: { dashboard: '总览', registry: '资源登记', match: '科企对接', chain: '产业链图谱', contracts: '合同与奖补', ledger: '兑付台账', users: '账号管理' },
    role: { bureau: '科技局', enterprise: '企业', platform: '创新平台', broker: '技术经纪人', expert: '专家', fund: '基金管理人', public: '公众' },
    auth: { login: '登录', logout: '退出登录', username: '用户名', password: '密码', failed: '登录失败', demoHint: '演示环境（合成数据）：每个角色一个演示账号，点击一行即可填入。', asPublic: '以公众身份浏览',
      changePassword: '修改密码', oldPassword: '原密码', newPassword: '新密码', changed: '密码已修改', signedInAs: '当前用户', anonymous: '未登录', tooMany: '尝试次数过多，请稍后再试' },
    common: {
      search: '搜索', create: '新建', edit: '编辑', delete: '删除', save: '保存', cancel: '取消', actions: '操作',
      total: '共 {n} 条', next: '下一页', prev: '上一页', first: '首页', empty: '暂无数据', loading: '加载中',
      confirmDelete: '确定删除这条记录？', saved: '已保存', deleted: '已删除', filter: '筛选', all: '全部',
      yes: '是', no: '否', synthetic: '合成数据', error: '出错了', notLanded: '该功能的接口尚未上线', refresh: '刷新', submit: '提交', detail: '详情', close: '关闭'
    },
    dash: { counts: '资源总量', byCounty: '各县(市、区)企业数', figures: '论文中的关键数字', source: '数据来源', series: '科技企业培育（论文数据）',
      layoutGap: '创新平台布局与产业规模（增加值占比 vs 平台占比）', valueShare: '增加值占比', platformShare: '平台占比', coupling: '两链耦合协调度',
      noCoupling: '暂无逐年企业数据，无法计算耦合协调度', derived: '论文数字复核', published: '论文值', recomputed: '重算值', consistent: '一致' },
    match: { demand: '技术需求', pick: '选择需求（输入标题搜索）', find: '查找匹配', results: '匹配结果', score: '得分', terms: '命中词', signals: '结构信号',
      text: '文本相关度', claim: '认领并登记合同', kind: '匹配对象', achievement: '科技成果', empty: '没有找到匹配的成果', confidential: '保密', visibility: '可见范围', denied: '撮合接口已上线，但授权表未允许你的角色使用（data/auth/authz.json 中没有它的规则）' },
    chain: { industry: '产业', firms: '链上企业', inputs: '投入品风险分布', absolute: '绝对风险点', downgrade: '降级替代', equal: '同准替代',
      map: '断链断供风险图', breakList: '断链断供风险点清单', chokeList: '卡脖子清单', gaps: '两链覆盖缺口', supplier: '主供应商', firm: '企业', input: '投入品',
      score: '风险产值(元)', status: '状态', open: '待处理', dismissed: '已排除', dismiss: '排除', reopen: '重新打开', segment: '环节', coverage: '创新资源覆盖',
      gap: '缺口指数', breakPoints: '断点数', foreign: '境外主供', resources: '平台/成果/团队/需求', annotate: '备注', note: '备注' },
    contracts: { title: '技术合同', new: '登记合同', regNo: '登记号', type: '合同类型', name: '合同名称', buyer: '买方统一社会信用代码', seller: '卖方统一社会信用代码',
      amount: '成交额(元)', signDate: '签订日期', brokers: '经纪人', brokersHint: '经纪人ID:份额%，逗号分隔，如 12:60, 31:40', status: '状态', award: '奖补(元)', policy: '政策版本',
      check: '关联交易核查', approve: '审核通过', fraud: '失信认定', pay: '兑付', flags: '关联交易疑点', noFlags: '未发现关联交易', override: '关联交易放行理由',
      overrideNeeded: '存在关联交易疑点，审核通过须填写放行理由', officer: '经办人', parties: '责任方', reason: '理由', calc: '奖补测算', calcAmount: '合同金额(元)',
      calcResult: '按 {policy} 奖补 {award} 元', capped: '已封顶', notCovered: '该类型不予奖补', decisions: '决定记录', awards: '奖补明细', registered: '已登记',
      approved: '已审核', paid: '已兑付', fraudDone: '已认定失信', grant: '发放', withheld: '扣留', related: '存在关联' },
    ledger: { title: '兑付台账', verify: '校验哈希链', ok: '哈希链完整：共 {n} 条，链头 {head}', bad: '哈希链被篡改：{where}：{detail}', seq: '序号', kind: '类型',
      subject: '对象', party: '当事方', amount: '金额(元)', date: '日期', due: '应付日期', hash: '哈希', overdue: '逾期未兑付', commitment: '承诺', payment: '兑付', clawback: '追回', override: '放行' },
    users: { title: '账号管理', username: '用户名', role: '角色', displayName: '姓名', password: '初始密码', enterprise: '企业ID', platform: '平台ID', broker: '经纪人ID', disabled: '停用', reset: '重置密码', newPasswordFor: '{u} 的新密码' }
  },
  en: {
    app: { title: 'chainfuse', subtitle: 'Industry chain × innovation chain', synthetic: 'Synthetic data: the demo rows are synthetic, not real firms', lang: '中文',
      noAuth: 'Accounts are not live yet: you act as the bureau' },
    nav: { dashboard: 'Dashboard', registry: 'Registry', match: 'Matchmaking', chain: 'Chain map', contracts: 'Contracts & awards', ledger: 'Ledger', users: 'Accounts' },
    role: { bureau: 'Bureau', enterprise: 'Enterprise', platform: 'Platform', broker: 'Broker', expert: 'Expert', fund: 'Fund manager', public: 'Public' },
    auth: { login: 'Sign in', logout: 'Sign out', username: 'User name', password: 'Password', failed: 'Sign-in failed', demoHint: 'Demo (synthetic data): one demo account per role; click a row to fill it in.', asPublic: 'Browse as the public',
      changePassword: 'Change password', oldPassword: 'Current password', newPassword: 'New password', changed: 'Password changed', signedInAs: 'Signed in as', anonymous: 'Not signed in', tooMany: 'Too many attempts; try again later' },
    common: {
      search: 'Search', create: 'New', edit: 'Edit', delete: 'Delete', save: 'Save', cancel: 'Cancel', actions: 'Actions',
      total: '{n} in all', next: 'Next', prev: 'Previous', first: 'First', empty: 'Nothing here yet', loading: 'Loading',
      confirmDelete: 'Delete this record?', saved: 'Saved', deleted: 'Deleted', filter: 'Filter', all: 'All',
      yes: 'Yes', no: 'No', synthetic: 'synthetic', error: 'Something went wrong', notLanded: 'The API of this capability has not landed yet', refresh: 'Refresh', submit: 'Submit', detail: 'Details', close: 'Close'
    },
    dash: { counts: 'Resources', byCounty: 'Enterprises by county', figures: 'Key figures from the paper', source: 'Source', series: 'Tech enterprises (paper data)',
      layoutGap: 'Platform layout vs industry size (value-added share vs platform share)', valueShare: 'Value-added share', platformShare: 'Platform share', coupling: 'Two-chain coupling',
      noCoupling: 'No yearly enterprise data: coupling cannot be computed', derived: 'Paper figures rechecked', published: 'Published', recomputed: 'Recomputed', consistent: 'Consistent' },
    match: { demand: 'Demand', pick: 'Pick a demand (type to search titles)', find: 'Find matches', results: 'Matches', score: 'Score', terms: 'Matched terms', signals: 'Signals',
      text: 'Text relevance', claim: 'Claim and register a contract', kind: 'Match against', achievement: 'Achievements', empty: 'No matching achievements', confidential: 'confidential', visibility: 'Visibility', denied: 'The matching API has landed but the authorization table does not allow your role to use it (no rule in data/auth/authz.json)' },
    chain: { industry: 'Industry', firms: 'Firms in chain', inputs: 'Inputs by risk', absolute: 'Absolute risk', downgrade: 'Downgrade substitute', equal: 'Equal substitute',
      map: 'Chain-break risk map', breakList: 'Chain-break risk list', chokeList: 'Choke-point list', gaps: 'Two-chain coverage gaps', supplier: 'Main supplier', firm: 'Firm', input: 'Input',
      score: 'Output at risk (yuan)', status: 'Status', open: 'Open', dismissed: 'Dismissed', dismiss: 'Dismiss', reopen: 'Reopen', segment: 'Segment', coverage: 'Innovation coverage',
      gap: 'Gap index', breakPoints: 'Break points', foreign: 'Foreign main supplier', resources: 'Platforms/achievements/teams/demands', annotate: 'Note', note: 'Note' },
    contracts: { title: 'Technology contracts', new: 'Register contract', regNo: 'Reg. no.', type: 'Type', name: 'Title', buyer: 'Buyer USCC', seller: 'Seller USCC',
      amount: 'Amount (yuan)', signDate: 'Signed on', brokers: 'Brokers', brokersHint: 'broker ID:share %, comma separated, e.g. 12:60, 31:40', status: 'Status', award: 'Award (yuan)', policy: 'Policy',
      check: 'Related-party check', approve: 'Approve', fraud: 'Fraud decision', pay: 'Pay', flags: 'Related-party flags', noFlags: 'No related-party link found', override: 'Override reason',
      overrideNeeded: 'Related-party flags: approving needs an override reason', officer: 'Officer', parties: 'Responsible parties', reason: 'Reason', calc: 'Award calculator', calcAmount: 'Contract amount (yuan)',
      calcResult: 'Under {policy}: award {award} yuan', capped: 'capped', notCovered: 'this type earns no award', decisions: 'Decisions', awards: 'Awards', registered: 'Registered',
      approved: 'Approved', paid: 'Paid', fraudDone: 'Fraud decided', grant: 'Granted', withheld: 'Withheld', related: 'related' },
    ledger: { title: 'Fulfilment ledger', verify: 'Verify hash chain', ok: 'Hash chain intact: {n} entries, head {head}', bad: 'Hash chain broken: {where}: {detail}', seq: 'Seq', kind: 'Kind',
      subject: 'Subject', party: 'Party', amount: 'Amount (yuan)', date: 'Date', due: 'Due', hash: 'Hash', overdue: 'Overdue commitments', commitment: 'commitment', payment: 'payment', clawback: 'clawback', override: 'override' },
    users: { title: 'Accounts', username: 'User name', role: 'Role', displayName: 'Name', password: 'Initial password', enterprise: 'Enterprise ID', platform: 'Platform ID', broker: 'Broker ID', disabled: 'Disabled', reset: 'Reset password', newPasswordFor: 'New password for {u}' }
  }
}

export const i18n = createI18n({ legacy: false, locale: localStorage.getItem('lang') || 'zh', fallbackLocale: 'zh', messages })

export function label(obj, locale) {
  if (!obj) return ''
  if (locale !== 'en') return obj.zh || obj.name
  const s = (obj.name || '').replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}
