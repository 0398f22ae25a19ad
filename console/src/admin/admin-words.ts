/** The admin screens' words, spread into resources.ts as `admin` (one line per language). */
export const adminZh = {
  title: '管理',
  sections: '管理项目',
  nav: {
    setup: '开通向导',
    regions: '行政区',
    markets: '市场',
    gates: '道口',
    stalls: '摊位',
    users: '用户',
    devices: '道口设备',
  },
};

export const adminEn: typeof adminZh = {
  title: 'Admin',
  sections: 'Admin sections',
  nav: {
    setup: 'Setup wizard',
    regions: 'Regions',
    markets: 'Markets',
    gates: 'Gates',
    stalls: 'Stalls',
    users: 'Users',
    devices: 'Gate devices',
  },
};
