/**
 * Plain HTML, no build step. Colours: accept green, review amber, reject red, pending blue; idle grey. The manual panel is
 * closed until staff open it and gives focus back when it closes, so a keyboard-wedge scanner's keys never
 * land in it unasked. Touch targets are at least 10vh: usable with gloves; every control is reachable with Tab
 * and Enter, and Esc closes the panel.
 */
export function statusPageHtml(token: string, manualEntry: boolean): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="gate-token" content="${token}">
<title>亮证 闸口 / Liangzheng gate</title>
<style>
  [hidden] { display: none !important; }
  html, body { margin: 0; height: 100%; font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; }
  body { display: flex; flex-direction: column; background: #555; color: #fff; transition: background .1s; }
  body.accept { background: #0a8f2f; }
  body.review { background: #e0a100; color: #111; }
  body.reject { background: #c81414; }
  body.pending { background: #1d4fa8; }
  main { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center;
         text-align: center; padding: 2vh 3vw; }
  #word { font-size: 22vh; font-weight: bold; line-height: 1; }
  #word-en { font-size: 5vh; opacity: .85; }
  #reason { font-size: 7vh; margin-top: 3vh; }
  #reason-en { font-size: 3.5vh; opacity: .85; }
  #code { font-size: 2.5vh; opacity: .7; margin-top: 2vh; word-break: break-all; }
  #conflict { display: none; background: #fff; color: #c81414; font-size: 4vh; padding: 1.5vh 3vw; }
  #conflict.shown { display: block; }
  #lot { font-size: 3.5vh; padding: 1vh 3vw; background: rgba(0,0,0,.25); }
  footer { display: flex; justify-content: space-between; align-items: center; gap: 2vw; font-size: 3.5vh;
           padding: 1.5vh 3vw; background: rgba(0,0,0,.35); color: #fff; }
  .stale { color: #ffd84d; font-weight: bold; }
  button, select, input { font: inherit; border-radius: 1.2vh; }
  button { min-height: 10vh; min-width: 10vh; padding: 0 3vw; border: .4vh solid #fff; background: #222;
           color: #fff; font-size: 4vh; cursor: pointer; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: .8vh solid #4da3ff; outline-offset: .3vh; }
  #open-manual { min-height: 9vh; font-size: 3.5vh; white-space: nowrap; }
  #manual { position: fixed; inset: 0; background: #f4f4f4; color: #111; overflow-y: auto; padding: 2vh 3vw; }
  #manual h2 { font-size: 5vh; margin: 0 0 2vh; }
  .tabs, .choices, .actions { display: flex; gap: 2vw; flex-wrap: wrap; margin-bottom: 2vh; }
  .tabs button, .choices label { flex: 1; }
  .tabs button[aria-selected="true"] { background: #0a5fb4; }
  .choices label { display: flex; align-items: center; gap: 1.5vw; min-height: 10vh; padding: 0 2vw;
                   border: .4vh solid #333; border-radius: 1.2vh; font-size: 3.8vh; background: #fff; }
  .choices input { width: 5vh; height: 5vh; }
  .choices label:has(input:checked) { background: #0a5fb4; color: #fff; border-color: #0a5fb4; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(40vw, 1fr)); gap: 1.5vh 2vw; }
  .grid label, .wide { display: flex; flex-direction: column; font-size: 3.2vh; }
  .grid small, .wide small { font-size: 2.2vh; color: #555; }
  .grid input, .grid select, .wide input { min-height: 9vh; font-size: 4vh; padding: 0 1.5vw;
                                          border: .3vh solid #333; background: #fff; color: #111; }
  fieldset { border: .3vh solid #999; border-radius: 1.2vh; margin: 0 0 2vh; padding: 1.5vh 2vw; }
  legend { font-size: 3.5vh; }
  .actions button[type="submit"] { flex: 2; background: #0a8f2f; }
  .actions button[type="button"] { flex: 1; }
  #manual-message { font-size: 3.5vh; min-height: 5vh; white-space: pre-line; }
  #manual-message.error { color: #c81414; font-weight: bold; }
</style>
</head>
<body>
<div id="conflict" role="status"></div>
<div id="lot" hidden></div>
<main role="status" aria-live="assertive">
  <div id="word">等待扫描</div>
  <div id="word-en">Waiting for a scan</div>
  <div id="reason"></div>
  <div id="reason-en"></div>
  <div id="code"></div>
</main>
<footer>
  <span id="snapshot">核验数据：无 / Trust data: none</span>
  <span id="queue">待上传 0 / Queue 0</span>
  <span id="link">离线 / Offline</span>
  <button type="button" id="close-lot" hidden>本车扫完 / Truck done</button>
  <button type="button" id="open-manual" aria-controls="manual"${manualEntry ? '' : ' hidden'}>手工录入 / Manual entry</button>
</footer>
<section id="manual" hidden aria-labelledby="manual-title">
  <h2 id="manual-title">手工录入 <small>/ Manual entry</small></h2>
  <div class="tabs" role="tablist">
    <button type="button" role="tab" id="tab-lot" aria-selected="true" aria-controls="lot-form">登记到货 / New arrival</button>
    <button type="button" role="tab" id="tab-code" aria-selected="false" aria-controls="code-form">手输证码 / Type a code</button>
  </div>
  <form id="lot-form" role="tabpanel" aria-labelledby="tab-lot">
    <div class="grid">
      <label>车牌号 <small>Plate</small><input name="plate" maxlength="16" autocomplete="off"></label>
      <label>供货人 <small>Supplier</small><input name="supplier" maxlength="80" autocomplete="off"></label>
      <label>品名 <small>Product</small><input name="productName" maxlength="40" required autocomplete="off"></label>
      <label>类别 <small>Category</small><select name="category" required>
        <option value="vegetable">蔬菜 / vegetables</option><option value="fruit">水果 / fruit</option>
        <option value="tea">茶叶 / tea</option><option value="livestock_poultry">畜禽 / livestock, poultry</option>
        <option value="egg">禽蛋 / eggs</option><option value="aquatic">水产品 / aquatic</option></select></label>
      <label>数量 <small>Quantity</small><input name="quantity" type="number" inputmode="decimal" min="0" step="any" required></label>
      <label>单位 <small>Unit</small><select name="unit" required>
        <option value="kg">公斤 / kg</option><option value="jin">斤 / jin</option><option value="t">吨 / t</option>
        <option value="g">克 / g</option><option value="box">箱 / box</option><option value="piece">件 / piece</option>
        <option value="head">头·只 / head</option></select></label>
    </div>
    <fieldset>
      <legend>合格证 / Certificate</legend>
      <div class="choices">
        <label><input type="radio" name="certificate" id="certificate-code" value="code" checked> 扫码 <small>QR code</small></label>
        <label><input type="radio" name="certificate" id="certificate-none" value="none"> 无合格证 <small>No certificate</small></label>
        <label><input type="radio" name="certificate" id="certificate-paper" value="paper"> 纸质合格证 <small>Paper</small></label>
      </div>
      <div id="paper" class="grid" hidden>
        <label>纸质证品名 <small>Product on paper (blank: as above)</small><input name="paperProductName" maxlength="40" autocomplete="off"></label>
        <label>纸质证数量 <small>Quantity on paper (blank: as above)</small><input name="paperQuantity" type="number" inputmode="decimal" min="0" step="any"></label>
        <label>产地 <small>Origin</small><input name="origin" maxlength="80" autocomplete="off"></label>
        <label>承诺主体 <small>Issuer</small><input name="issuerName" maxlength="80" autocomplete="off"></label>
        <label>联系方式 <small>Contact</small><input name="contact" maxlength="40" autocomplete="off"></label>
        <label>开具日期 <small>Issued on</small><input name="issuedOn" type="date"></label>
        <label>承诺依据 <small>Basis</small><select name="basis">
          <option value="quality_control">质量安全控制符合要求 / quality control</option>
          <option value="self_tested">自行检测合格 / self-tested</option>
          <option value="commissioned_test">委托检测合格 / commissioned test</option></select></label>
        <label>照片（可选） <small>Photo (optional)</small><input name="photo" type="file" accept="image/*" capture="environment"></label>
      </div>
    </fieldset>
    <div class="actions">
      <button type="submit">登记 / Register</button>
      <button type="button" class="close">关闭 / Close</button>
    </div>
  </form>
  <form id="code-form" role="tabpanel" aria-labelledby="tab-code" hidden>
    <label class="wide">证码（二维码下方的文字，或粘贴） <small>The code printed under the QR, or paste it</small>
      <input name="text" maxlength="2048" autocomplete="off" spellcheck="false"></label>
    <div class="actions" style="margin-top: 2vh">
      <button type="submit">判定 / Judge</button>
      <button type="button" class="close">关闭 / Close</button>
    </div>
  </form>
  <div id="manual-message" role="alert"></div>
</section>
<script>
  const words = {
    accept: ['放行', 'ACCEPT'], review: ['复核', 'REVIEW'], reject: ['拒绝', 'REJECT'],
    pending: ['继续扫码', 'KEEP SCANNING'], repeat: ['重复扫描', 'REPEATED READ'],
  };
  const token = document.querySelector('meta[name="gate-token"]').content;
  const $ = (id) => document.getElementById(id);
  function age(minutes) {
    if (minutes < 60) return minutes + ' 分钟 / ' + minutes + ' min';
    const h = Math.floor(minutes / 60);
    return h + ' 小时 / ' + h + ' h';
  }
  function render(s) {
    const last = s.last;
    document.body.className = last ? last.outcome : '';
    if (last) {
      const w = words[last.repeated ? 'repeat' : last.outcome];
      $('word').textContent = w[0];
      $('word-en').textContent = w[1];
      const progress = last.progress ? [last.progress] : [];
      $('reason').textContent = [...progress, ...last.reasons].map((r) => r.zh).join('；');
      $('reason-en').textContent = [...progress, ...last.reasons].map((r) => r.en).join('; ');
      $('code').textContent = last.text;
    }
    $('lot').hidden = !s.lot;
    $('close-lot').hidden = !s.lot || $('open-manual').hidden;
    $('lot').textContent = s.lot ? '当前到货 / Current arrival：' + s.lot.label : '';
    const c = s.conflict;
    $('conflict').className = c ? 'shown' : '';
    $('conflict').textContent = c
      ? '服务器复核结果不同：' + words[c.server][0] + '（本机 ' + words[c.provisional][0] + '）' +
        (c.reasons[0] ? ' ' + c.reasons[0].zh : '') + ' / Server verdict differs: ' + c.server + ' ' + c.text
      : '';
    const snap = s.snapshot;
    $('snapshot').textContent = snap
      ? '核验数据 v' + snap.version + '，' + age(snap.ageMinutes) + (snap.stale ? '（已过期 / STALE）' : '')
      : '核验数据：无 / Trust data: none';
    $('snapshot').className = !snap || snap.stale ? 'stale' : '';
    $('queue').textContent = '待上传 ' + s.queueLength + ' / Queue ' + s.queueLength;
    $('link').textContent = s.online ? '在线 / Online' : '离线 / Offline';
    $('link').className = s.online ? '' : 'stale';
  }
  const events = new EventSource('/events');
  events.onmessage = (e) => render(JSON.parse(e.data));

  // The manual panel: opened only by staff, and closed again after each entry, so focus returns to the page.
  const panel = $('manual');
  const message = $('manual-message');
  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }
  function showTab(name) {
    for (const tab of ['lot', 'code']) {
      $('tab-' + tab).setAttribute('aria-selected', String(tab === name));
      $(tab + '-form').hidden = tab !== name;
    }
    const first = $(name + '-form').querySelector('input');
    if (first) first.focus();
  }
  function openPanel() {
    panel.hidden = false;
    say('', false);
    showTab('lot');
  }
  function closePanel() {
    panel.hidden = true;
    if (document.activeElement) document.activeElement.blur();
  }
  $('open-manual').addEventListener('click', openPanel);
  $('tab-lot').addEventListener('click', () => showTab('lot'));
  $('tab-code').addEventListener('click', () => showTab('code'));
  for (const button of document.querySelectorAll('#manual .close')) button.addEventListener('click', closePanel);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) closePanel();
  });
  const lotForm = $('lot-form');
  for (const radio of lotForm.elements.certificate) {
    radio.addEventListener('change', () => { $('paper').hidden = lotForm.elements.certificate.value !== 'paper'; });
  }

  // A phone-camera photo is several MB: scaled down and re-encoded until it fits the server's ~150 KB bound.
  async function photoOf(file) {
    const image = await createImageBitmap(file);
    for (const [side, quality] of [[1600, 0.7], [1200, 0.6], [900, 0.5], [700, 0.4]]) {
      const scale = Math.min(1, side / Math.max(image.width, image.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
      const base64 = canvas.toDataURL('image/jpeg', quality).split(',')[1];
      if (base64.length <= 200000) return base64;
    }
    throw new Error('photo');
  }

  function explainError(error) {
    const fields = (error.fields || []).map((f) => f.path + ': ' + f.message).join('\\n');
    return error.zh + ' / ' + error.en + (fields ? '\\n' + fields : '');
  }
  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gate-token': token },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw answer.error;
    return answer;
  }
  function submitting(form, busy) {
    for (const button of form.querySelectorAll('button')) button.disabled = busy;
  }
  async function submit(form, build, path) {
    submitting(form, true);
    say('提交中… / Sending…', false);
    try {
      await post(path, await build(form.elements));
      form.reset();
      $('paper').hidden = true;
      closePanel();
    } catch (error) {
      say(error && error.code ? explainError(error) : '照片无法处理，请重拍 / the photo could not be read: take it again', true);
    } finally {
      submitting(form, false);
    }
  }
  async function lotBody(f) {
    const declaration = {
      productName: f.productName.value, category: f.category.value,
      quantity: Number(f.quantity.value), unit: f.unit.value,
    };
    const kind = f.certificate.value;
    let certificate = { kind };
    if (kind === 'paper') {
      certificate.fields = {
        productName: f.paperProductName.value || declaration.productName,
        quantity: f.paperQuantity.value ? Number(f.paperQuantity.value) : declaration.quantity,
        unit: declaration.unit, origin: f.origin.value, issuerName: f.issuerName.value,
        contact: f.contact.value, issuedOn: f.issuedOn.value, basis: f.basis.value,
      };
      if (f.photo.files[0]) certificate.photo = await photoOf(f.photo.files[0]);
    }
    return { plate: f.plate.value, supplier: f.supplier.value, declaration, certificate };
  }
  lotForm.addEventListener('submit', (e) => { e.preventDefault(); submit(lotForm, lotBody, '/manual/lots'); });
  $('close-lot').addEventListener('click', async () => {
    try {
      await post('/manual/close', {});
    } catch (error) {
      openPanel();
      say(error && error.code ? explainError(error) : String(error), true);
    }
  });
  const codeForm = $('code-form');
  codeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    submit(codeForm, (f) => ({ text: f.text.value }), '/manual/codes');
  });
</script>
</body>
</html>
`;
}
