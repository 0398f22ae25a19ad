import { creditCodeCheckCharacter } from '@liangzheng/domain/subject/credit-code';

/** A 统一社会信用代码 with a correct check character: authority+type, region, organisation code. */
export function demoCreditCode(prefix: string, region: string, organisation: string): string {
  const first17 = `${prefix}${region}${organisation}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** Fixed so docs/demo.md can print them. Demo only: never use these on a real deployment. */
export const DEMO_PASSWORD = 'liangzheng-demo';
export const DEMO_DEVICE_TOKEN = 'lz-demo-gate-token-mawangdui-east-0001';

export const demoRegions = [
  { code: '430000', name: '湖南省', level: 'province', parentCode: null },
  { code: '430100', name: '长沙市', level: 'city', parentCode: '430000' },
  { code: '430102', name: '芙蓉区', level: 'county', parentCode: '430100' },
  { code: '430104', name: '岳麓区', level: 'county', parentCode: '430100' },
  { code: '430121', name: '长沙县', level: 'county', parentCode: '430100' },
  { code: '430181', name: '浏阳市', level: 'county', parentCode: '430100' },
  { code: '430182', name: '宁乡市', level: 'county', parentCode: '430100' },
  { code: '430200', name: '株洲市', level: 'city', parentCode: '430000' },
  { code: '430211', name: '天元区', level: 'county', parentCode: '430200' },
] as const;

export const demoProducts = [
  { code: 1001, name: '大白菜', category: 'vegetable' },
  { code: 1002, name: '辣椒', category: 'vegetable' },
  { code: 1003, name: '上海青', category: 'vegetable' },
  { code: 1004, name: '香菇', category: 'vegetable' },
  /** what several vegetables may be mixed into (custody rules: 混装) */
  { code: 1999, name: '混装蔬菜', category: 'vegetable' },
  { code: 2001, name: '冰糖橙', category: 'fruit' },
  { code: 2999, name: '混装水果', category: 'fruit' },
  { code: 3001, name: '安化黑茶鲜叶', category: 'tea' },
  { code: 4001, name: '生猪', category: 'livestock_poultry' },
  { code: 5001, name: '鲜鸡蛋', category: 'egg' },
  { code: 6001, name: '草鱼', category: 'aquatic' },
] as const;
