/** The gate screen's words for undoing a scan, the rapid-test hold and the demo replay, spread into resources.ts. */
export const gateWordsZh = {
  gateUndo: {
    undo: '撤销上一次扫码',
    confirm: '撤销 {{time}} 的扫码（{{subject}}，{{outcome}}）？请选择原因：',
    reason: { wrong_code: '扫错码', wrong_lot: '扫错车', scanned_twice: '重复扫码' },
    cancel: '不撤销',
    undone: '已撤销上一次扫码：{{name}}，请重新扫码',
    undoneCoverage: '已撤销上一次扫码：{{name}}，已核 {{covered}}/{{declared}} {{unit}}，继续扫码',
    undoneElsewhere: '本道口另一屏幕撤销了一次扫码：{{name}}',
  },
  gateLot: {
    rapidTestHold: '快检阳性·暂停销售',
    supplierAddress: '供货方地址',
    supplierContact: '供货方联系电话',
  },
  gateDemo: {
    play: '演示：播放模拟道口',
    playing: '模拟道口播放中…',
    started: '模拟道口开始播放：扫码结果会陆续出现在下方',
  },
};

export const gateWordsEn: typeof gateWordsZh = {
  gateUndo: {
    undo: 'Undo the last scan',
    confirm: 'Undo the scan of {{time}} ({{subject}}, {{outcome}})? Choose why:',
    reason: { wrong_code: 'Wrong code', wrong_lot: 'Wrong truck', scanned_twice: 'Scanned twice' },
    cancel: 'Keep it',
    undone: 'Last scan undone: {{name}}; scan again',
    undoneCoverage: 'Last scan undone: {{name}}, {{covered}}/{{declared}} {{unit}} covered; keep scanning',
    undoneElsewhere: 'A scan was undone on another screen of this gate: {{name}}',
  },
  gateLot: {
    rapidTestHold: 'Rapid test positive · sale stopped',
    supplierAddress: 'Supplier address',
    supplierContact: 'Supplier phone',
  },
  gateDemo: {
    play: 'Demo: play the simulated gate',
    playing: 'The simulated gate is playing…',
    started: 'The simulated gate has started: its scans appear below as they arrive',
  },
};
