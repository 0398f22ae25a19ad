/** Plain HTML, no build step. Colours: accept green, review amber, reject red; idle grey. */
export const statusPageHtml = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>亮证 闸口 / Liangzheng gate</title>
<style>
  html, body { margin: 0; height: 100%; font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; }
  body { display: flex; flex-direction: column; background: #555; color: #fff; transition: background .1s; }
  body.accept { background: #0a8f2f; }
  body.review { background: #e0a100; color: #111; }
  body.reject { background: #c81414; }
  main { flex: 1; display: flex; flex-direction: column; justify-content: center; align-items: center;
         text-align: center; padding: 2vh 3vw; }
  #word { font-size: 22vh; font-weight: bold; line-height: 1; }
  #word-en { font-size: 5vh; opacity: .85; }
  #reason { font-size: 7vh; margin-top: 3vh; }
  #reason-en { font-size: 3.5vh; opacity: .85; }
  #code { font-size: 2.5vh; opacity: .7; margin-top: 2vh; word-break: break-all; }
  #conflict { display: none; background: #fff; color: #c81414; font-size: 4vh; padding: 1.5vh 3vw; }
  #conflict.shown { display: block; }
  footer { display: flex; justify-content: space-between; font-size: 3.5vh; padding: 1.5vh 3vw;
           background: rgba(0,0,0,.35); color: #fff; }
  .stale { color: #ffd84d; font-weight: bold; }
</style>
</head>
<body>
<div id="conflict" role="status"></div>
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
</footer>
<script>
  const words = {
    accept: ['放行', 'ACCEPT'], review: ['复核', 'REVIEW'], reject: ['拒绝', 'REJECT'],
    repeat: ['重复扫描', 'REPEATED READ'],
  };
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
      $('reason').textContent = last.reasons.map((r) => r.zh).join('；');
      $('reason-en').textContent = last.reasons.map((r) => r.en).join('; ');
      $('code').textContent = last.text;
    }
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
</script>
</body>
</html>
`;
