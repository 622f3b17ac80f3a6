/*
 * Rapport meeting simulator: the client side of a Meet-shaped meeting page.
 *
 * Plain browser JavaScript (not compiled by tsc, served as is). The server is the truth for
 * the meeting (who is in it, lobby decisions, host actions); this script polls it, renders the
 * screen the real Meet web client would show (same aria-labels, texts, jsnames, flows), plays
 * the scripted speech through WebAudio (Chromium's default output), and reports back
 * what actually happened (join request, clip start/end times, chat sent, dialogs, leaving).
 *
 * Class names are random per page load on purpose: bots must not depend on them.
 */
(function () {
  'use strict';

  var boot = JSON.parse(document.getElementById('sim-boot').textContent);
  var code = boot.code;
  var root = document.getElementById('sim-root');
  var POLL_MS = 200;
  var PRELOAD_MS = 4000;
  var ARM_AHEAD_MS = 150;

  // ---- random "obfuscated" classes -------------------------------------------------------
  var ABC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  function rnd() {
    var s = '';
    for (var i = 0; i < 6; i++) s += ABC[Math.floor(Math.random() * ABC.length)];
    return s;
  }
  var C = {};
  ['screen', 'preview', 'tile', 'tileName', 'tileVideo', 'speaking', 'silent', 'audio', 'bar', 'ctl', 'ctlOff',
    'panel', 'msg', 'msgSender', 'msgText', 'captions', 'capBlock', 'capName', 'capText', 'overlay', 'dialog',
    'btn', 'btnText', 'primary', 'status', 'toast', 'grid', 'endText', 'input'].forEach(function (k) { C[k] = rnd(); });

  var style = document.createElement('style');
  style.textContent = [
    '.' + C.screen + '{display:flex;flex-direction:column;min-height:100vh}',
    '.' + C.grid + '{flex:1;display:flex;flex-wrap:wrap;gap:8px;padding:16px;align-content:flex-start}',
    '.' + C.tile + '{position:relative;width:240px;height:150px;background:#3c4043;border-radius:8px;display:flex;align-items:flex-end;padding:8px;box-sizing:border-box}',
    '.' + C.speaking + '{outline:3px solid #8ab4f8}',
    '.' + C.audio + '{position:absolute;top:8px;right:8px;width:16px;height:16px;border-radius:50%;background:#5f6368}',
    '.' + C.speaking + ' .' + C.audio + '{background:#8ab4f8}',
    '.' + C.bar + '{display:flex;gap:8px;justify-content:center;padding:12px;background:#202124}',
    '.' + C.ctl + '{min-width:40px;height:40px;border-radius:20px;border:0;background:#3c4043;color:#e8eaed;padding:0 12px}',
    '.' + C.ctlOff + '{background:#ea4335}',
    '.' + C.panel + '{position:fixed;right:16px;top:16px;bottom:80px;width:320px;background:#fff;color:#202124;border-radius:8px;display:flex;flex-direction:column;padding:12px;box-sizing:border-box}',
    '.' + C.panel + ' [role=list]{flex:1;overflow:auto}',
    '.' + C.msgSender + '{font-weight:bold;font-size:13px}',
    '.' + C.captions + '{position:fixed;left:16px;right:360px;bottom:80px;background:rgba(0,0,0,.7);padding:8px;border-radius:8px}',
    '.' + C.overlay + '{position:fixed;inset:0;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center;z-index:100}',
    '.' + C.dialog + '{background:#fff;color:#202124;border-radius:8px;padding:24px;max-width:420px}',
    '.' + C.btn + '{border:0;border-radius:20px;padding:10px 24px;margin:4px;background:#e8eaed;color:#1a73e8}',
    '.' + C.primary + '{background:#1a73e8;color:#fff}',
    '.' + C.primary + '[disabled]{background:#9aa0a6}',
    '.' + C.preview + '{width:480px;height:270px;background:#3c4043;border-radius:8px;position:relative;margin:auto}',
    '.' + C.toast + '{position:fixed;left:16px;bottom:80px;background:#fff;color:#202124;padding:8px;border-radius:8px}',
    '.' + C.input + '{padding:12px;font-size:16px;width:280px}',
  ].join('\n');
  document.head.appendChild(style);

  // ---- tiny DOM helper --------------------------------------------------------------------
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }
  /** Meet buttons carry their visible label in an inner span (bots match `//button[.//span[text()=…]]`). */
  function textButton(label, attrs) {
    var a = Object.assign({ class: C.btn }, attrs || {});
    return h('button', a, [h('span', { class: C.btnText, text: label })]);
  }

  // ---- server I/O -------------------------------------------------------------------------
  var view = null;
  var clockOffset = 0; // server epoch - page epoch, from the poll round trip
  function post(body) {
    return fetch('/_sim/meetings/' + code + '/log', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      keepalive: true,
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
      if (v) apply(v);
      return v;
    }).catch(function () { return null; });
  }
  var polling = true;
  function poll() {
    if (!polling) return;
    var sent = Date.now();
    fetch('/_sim/meetings/' + code + '/view', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (v) {
        var now = Date.now();
        if (!view || v.revision > view.revision) clockOffset = v.serverNow - (sent + now) / 2;
        apply(v);
      })
      .catch(function () { /* server gone: keep the last screen, like a dropped connection */ })
      .then(function () { if (polling) setTimeout(poll, POLL_MS); });
  }

  // ---- local page state -------------------------------------------------------------------
  var local = {
    screen: null,
    devicePromptOpen: true,
    micOn: true,
    cameraOn: true,
    captionsOn: false,
    chatOpen: false,
    joinSent: false,
    dialogsQueued: false,
    dialogQueue: [],
    renderedChatIds: {},
    unreadToastTimer: null,
  };
  var refs = {}; // elements of the current screen

  function apply(v) {
    // A poll answered before a join, arriving after the join's answer, must not undo it.
    if (view && v.revision < view.revision) return;
    view = v;
    var screen = screenFor(v);
    if (screen !== local.screen) {
      leaveScreen(local.screen, screen);
      local.screen = screen;
      render(screen);
    }
    if (screen === 'call') updateCall();
    if (screen !== 'prejoin' && screen !== 'lobby' && screen !== 'call') polling = false;
  }

  function screenFor(v) {
    switch (v.botStatus) {
      case 'not_arrived':
      case 'prejoin':
        return 'prejoin';
      case 'lobby':
        return 'lobby';
      case 'in_call':
        return 'call';
      case 'denied':
        return v.denyReason === 'blocked' ? 'blocked' : v.denyReason === 'no_response' ? 'no_response' : 'denied';
      default:
        return v.botStatus; // removed | ended | left
    }
  }

  function render(screen) {
    root.textContent = '';
    refs = {};
    switch (screen) {
      case 'prejoin': return renderPrejoin();
      case 'lobby': return renderLobby();
      case 'call': return renderCall();
      case 'denied': return renderEnd('Someone in the call denied your request to join');
      case 'no_response': return renderEnd('No one responded to your request to join the call');
      case 'blocked': return renderEnd("You can't join this video call");
      case 'removed': return renderEnd("You've been removed from the meeting");
      case 'ended': return renderEnd('Your host ended the meeting for everyone');
      case 'left': return renderEnd('You left the meeting');
    }
  }

  function leaveScreen(from, to) {
    if (from === 'call' && to !== 'call') speech.stopAll();
  }

  // ---- pre-join ---------------------------------------------------------------------------
  function toggle(kind) {
    // div[role=button] in pre-join, as in Meet; label says what a click does.
    var on = kind === 'mic' ? local.micOn : local.cameraOn;
    var noun = kind === 'mic' ? 'microphone' : 'camera';
    return h('div', {
      role: 'button',
      tabindex: '0',
      class: C.ctl + (on ? '' : ' ' + C.ctlOff),
      jsname: kind === 'mic' ? 'hw0c9' : 'psRWwc',
      'aria-label': (on ? 'Turn off ' : 'Turn on ') + noun,
      'data-is-muted': on ? 'false' : 'true',
      'data-tooltip': (on ? 'Turn off ' : 'Turn on ') + noun + (kind === 'mic' ? ' (ctrl + d)' : ' (ctrl + e)'),
      onclick: function () { setDevice(kind, !on); },
    }, [h('span', { class: C.btnText, text: kind === 'mic' ? '🎤' : '📷' })]);
  }

  function setDevice(kind, on) {
    if (kind === 'mic') local.micOn = on; else local.cameraOn = on;
    post({ type: kind === 'mic' ? 'microphone' : 'camera', value: on });
    if (refs.toggles) {
      refs.toggles.textContent = '';
      var make = local.screen === 'prejoin' ? toggle : callToggle;
      refs.toggles.appendChild(make('mic'));
      refs.toggles.appendChild(make('cam'));
    }
  }

  function renderPrejoin() {
    var open = view.admission === 'open';
    var input = h('input', {
      type: 'text',
      class: C.input,
      'aria-label': 'Your name',
      placeholder: 'Your name',
      jsname: 'YPqjbf',
      autocomplete: 'name',
      maxlength: '60',
      oninput: function () { joinBtn.disabled = input.value.trim() === ''; },
      onkeydown: function (e) { if (e.key === 'Enter' && input.value.trim() !== '') join(input.value.trim()); },
    });
    var joinBtn = textButton(open ? 'Join now' : 'Ask to join', {
      class: C.btn + ' ' + C.primary,
      jsname: 'Qx7uuf',
      disabled: true,
      onclick: function () { if (input.value.trim() !== '') join(input.value.trim()); },
    });
    refs.toggles = h('div', { class: C.bar }, [toggle('mic'), toggle('cam')]);
    var screen = h('div', { class: C.screen }, [
      h('div', { class: C.preview }, [
        h('div', { class: C.status, text: local.cameraOn ? 'Camera is starting' : 'Camera is off' }),
        refs.toggles,
      ]),
      h('div', { class: 'sim-center' }, [
        h('h2', { class: rnd(), text: 'What’s your name?' }),
        input,
        refs.joinArea = h('div', { class: rnd() }, [joinBtn]),
        textButton('Other ways to join'),
      ]),
    ]);
    root.appendChild(screen);
    refs.nameInput = input;
    if (view.devicePrompt && local.devicePromptOpen) root.appendChild(devicePrompt());
  }

  function devicePrompt() {
    var overlay;
    function close(withDevices) {
      local.devicePromptOpen = false;
      if (!withDevices) { local.micOn = false; local.cameraOn = false; }
      post({ type: 'device_prompt', value: withDevices ? 'use' : 'continue_without' });
      overlay.remove();
      if (refs.toggles) {
        refs.toggles.textContent = '';
        refs.toggles.appendChild(toggle('mic'));
        refs.toggles.appendChild(toggle('cam'));
      }
    }
    overlay = h('div', { class: C.overlay }, [
      h('div', { class: C.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'sim-dp-title' }, [
        h('h1', { id: 'sim-dp-title', class: rnd(), text: 'Do you want people to hear you in the meeting?' }),
        h('div', { class: rnd(), text: 'You can still turn off your microphone and camera anytime in the meeting.' }),
        textButton('Use microphone and camera', { class: C.btn + ' ' + C.primary, onclick: function () { close(true); } }),
        textButton('Continue without microphone and camera', { onclick: function () { close(false); } }),
      ]),
    ]);
    return overlay;
  }

  function join(name) {
    if (local.joinSent) return;
    local.joinSent = true;
    // Like Meet, the button gives way at once to a progress indicator while the request goes out.
    if (refs.joinArea) {
      refs.joinArea.textContent = '';
      refs.joinArea.appendChild(h('div', { role: 'progressbar', 'aria-label': 'Joining', class: rnd() }));
    }
    post({ type: 'join', name: name, micOn: local.micOn, cameraOn: local.cameraOn });
  }

  // ---- lobby ------------------------------------------------------------------------------
  /** The call-control bar. Meet renders it in the lobby too, which is why "Leave call" proves nothing. */
  function controlBar(inCall) {
    refs.toggles = h('div', { class: C.bar }, [callToggle('mic'), callToggle('cam')]);
    var items = [refs.toggles];
    if (inCall) {
      refs.captionsBtn = h('button', {
        class: C.ctl,
        jsname: 'r8qRAd',
        'aria-label': 'Turn on captions',
        'aria-pressed': 'false',
        onclick: function () { setCaptions(!local.captionsOn); },
      }, [h('span', { class: C.btnText, text: 'CC' })]);
      items.push(refs.captionsBtn);
      items.push(h('button', { class: C.ctl, 'aria-label': 'Raise hand (ctrl + alt + h)', jsname: 'FpSaz' }, [h('span', { class: C.btnText, text: '✋' })]));
      items.push(h('button', { class: C.ctl, 'aria-label': 'More options', jsname: 'NakZHc' }, [h('span', { class: C.btnText, text: '⋮' })]));
    }
    items.push(h('button', {
      class: C.ctl + ' ' + C.ctlOff,
      jsname: 'CQylAd',
      'aria-label': 'Leave call',
      'data-tooltip': 'Leave call',
      onclick: function () { post({ type: 'left' }); },
    }, [h('span', { class: C.btnText, text: '☎' })]));
    if (inCall) {
      refs.peopleBtn = h('button', { class: C.ctl, 'aria-label': 'People' }, [
        refs.peopleCount = h('div', { class: rnd(), 'data-avatar-count': '1', text: '1' }),
      ]);
      items.push(refs.peopleBtn);
      items.push(h('button', {
        class: C.ctl,
        'aria-label': 'Chat with everyone',
        'aria-pressed': 'false',
        onclick: function () { setChat(!local.chatOpen); },
      }, [h('span', { class: C.btnText, text: '💬' })]));
    }
    return h('div', { class: C.bar, role: 'region', 'aria-label': 'Call controls' }, items);
  }

  function callToggle(kind) {
    var on = kind === 'mic' ? local.micOn : local.cameraOn;
    var noun = kind === 'mic' ? 'microphone' : 'camera';
    return h('button', {
      class: C.ctl + (on ? '' : ' ' + C.ctlOff),
      jsname: kind === 'mic' ? 'hw0c9' : 'psRWwc',
      'aria-label': (on ? 'Turn off ' : 'Turn on ') + noun,
      'data-is-muted': on ? 'false' : 'true',
      onclick: function () { setDevice(kind, !on); },
    }, [h('span', { class: C.btnText, text: kind === 'mic' ? '🎤' : '📷' })]);
  }

  /** The self preview; like Meet's effects preview it carries data-participant-id (another trap). */
  function selfTile() {
    return h('div', {
      class: C.tile,
      'data-participant-id': 'spaces/' + code.replace(/-/g, '') + '/devices/self',
      'data-requested-participant-id': 'spaces/' + code.replace(/-/g, '') + '/devices/self',
    }, [
      h('div', { class: C.tileVideo, 'data-self-name': view.botName || 'You' }),
      h('div', { class: C.tileName }, [h('span', { class: 'notranslate', text: view.botName || 'You' })]),
    ]);
  }

  function renderLobby() {
    root.appendChild(h('div', { class: C.screen }, [
      h('div', { class: C.preview }, [selfTile()]),
      h('div', { class: 'sim-center' }, [
        h('div', { class: C.status, role: 'status' }, [
          h('div', { class: rnd(), text: 'Asking to be let in…' }),
          h('div', { class: rnd(), text: 'You’ll join the call when someone lets you in' }),
        ]),
        textButton('Cancel', { onclick: function () { post({ type: 'left' }); } }),
      ]),
      controlBar(false),
    ]));
  }

  // ---- in call ----------------------------------------------------------------------------
  var tiles = {}; // participant id -> { el, audio, name, speaking }

  function renderCall() {
    tiles = {};
    refs.grid = h('div', { class: C.grid, jsname: 'E2KThb' });
    var self = selfTile();
    refs.grid.appendChild(self);
    refs.alone = h('div', { class: rnd() }, [
      h('div', { class: rnd(), text: 'You’re the only one here' }),
      h('div', { class: rnd(), text: 'Share this meeting link with others that you want in the meeting' }),
    ]);
    refs.captions = h('div', { class: C.captions, role: 'region', 'aria-label': 'Captions', hidden: true });
    refs.toastArea = h('div', { 'aria-live': 'polite', class: rnd() });
    root.appendChild(h('div', { class: C.screen }, [refs.main = h('main', { class: rnd() }, [refs.grid]), refs.captions, refs.toastArea, controlBar(true)]));
    if (local.chatOpen) { local.chatOpen = false; setChat(true); }
    if (!local.dialogsQueued) {
      local.dialogsQueued = true;
      local.dialogQueue = (view.dialogs || []).slice();
      showNextDialog();
    }
  }

  function updateCall() {
    var present = {};
    view.participants.forEach(function (p) {
      present[p.id] = true;
      if (!tiles[p.id]) addTile(p);
    });
    Object.keys(tiles).forEach(function (id) {
      if (!present[id]) {
        speech.stopSpeaker(tiles[id].name);
        tiles[id].el.remove();
        delete tiles[id];
      }
    });
    // Meet's "only one here" card exists only while nobody else is in the call.
    if (view.participants.length === 0 && !refs.alone.parentNode) refs.main.insertBefore(refs.alone, refs.grid);
    if (view.participants.length > 0 && refs.alone.parentNode) refs.alone.remove();
    var count = view.participants.length + 1;
    refs.peopleBtn.setAttribute('aria-label', 'People - ' + count + ' joined');
    refs.peopleCount.setAttribute('data-avatar-count', String(count));
    refs.peopleCount.textContent = String(count);
    renderChat();
    speech.schedule();
  }

  function addTile(p) {
    var level = h('div', { class: C.audio + ' ' + C.silent, jsname: 'QgSmzd', 'data-audio-level': '0' });
    var el = h('div', { class: C.tile, 'data-participant-id': p.id, 'data-requested-participant-id': p.id }, [
      h('div', { class: C.tileVideo }),
      level,
      h('div', { class: C.tileName }, [h('span', { class: 'notranslate', text: p.name })]),
    ]);
    refs.grid.insertBefore(el, refs.grid.lastChild);
    tiles[p.id] = { el: el, level: level, name: p.name, speaking: 0, timer: null };
  }

  function tileByName(name) {
    var ids = Object.keys(tiles);
    for (var i = 0; i < ids.length; i++) if (tiles[ids[i]].name === name) return tiles[ids[i]];
    return null;
  }

  function setSpeaking(name, on) {
    var t = tileByName(name);
    if (!t) return;
    t.speaking += on ? 1 : -1;
    if (t.speaking < 0) t.speaking = 0;
    if (t.speaking > 0 && !t.timer) {
      t.el.classList.add(C.speaking);
      t.level.classList.remove(C.silent);
      var tick = function () { t.level.setAttribute('data-audio-level', String(1 + Math.floor(Math.random() * 3))); };
      tick();
      t.timer = setInterval(tick, 120);
    } else if (t.speaking === 0 && t.timer) {
      clearInterval(t.timer);
      t.timer = null;
      t.el.classList.remove(C.speaking);
      t.level.classList.add(C.silent);
      t.level.setAttribute('data-audio-level', '0');
    }
  }

  // ---- post-join dialogs --------------------------------------------------------------------
  var DIALOGS = {
    recording: {
      title: 'This video call is being recorded',
      body: 'The meeting host has started recording. By staying in the call, you consent to being recorded.',
      leave: true,
    },
    gemini: {
      title: 'Gemini is taking notes',
      body: 'Gemini in Meet is taking notes for the meeting organizer. Notes will be shared with the organizer.',
      leave: false,
    },
  };
  function showNextDialog() {
    if (local.screen !== 'call') return;
    var kind = local.dialogQueue.shift();
    if (!kind) return;
    var d = DIALOGS[kind];
    var overlay;
    var buttons = [];
    if (d.leave) {
      buttons.push(textButton('Leave meeting', {
        'data-mdc-dialog-action': 'cancel',
        onclick: function () { overlay.remove(); post({ type: 'dialog_leave', value: kind }).then(function () { post({ type: 'left' }); }); },
      }));
    }
    buttons.push(textButton('Got it', {
      class: C.btn + ' ' + C.primary,
      'data-mdc-dialog-action': 'ok',
      onclick: function () { overlay.remove(); post({ type: 'dialog_ack', value: kind }); showNextDialog(); },
    }));
    var titleId = 'sim-dlg-' + kind;
    overlay = h('div', { class: C.overlay }, [
      h('div', { class: C.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId }, [
        h('h2', { id: titleId, class: rnd(), text: d.title }),
        h('div', { class: rnd(), text: d.body }),
        h('div', { class: rnd() }, buttons),
      ]),
    ]);
    root.appendChild(overlay);
  }

  // ---- captions ---------------------------------------------------------------------------
  function setCaptions(on) {
    local.captionsOn = on;
    refs.captionsBtn.setAttribute('aria-label', on ? 'Turn off captions' : 'Turn on captions');
    refs.captionsBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    refs.captions.hidden = !on;
    if (!on) refs.captions.textContent = '';
    post({ type: 'captions', value: on });
  }

  /** One caption block per utterance; words appear as they are spoken, like Meet's live captions. */
  function captionFor(line, clipStartedAt) {
    if (!local.captionsOn || !refs.captions) return null;
    var text = h('div', { class: C.capText });
    var block = h('div', { class: C.capBlock }, [
      h('div', { class: C.capName }, [h('span', { class: 'notranslate', text: line.speaker })]),
      text,
    ]);
    refs.captions.appendChild(block);
    while (refs.captions.children.length > 4) refs.captions.removeChild(refs.captions.firstChild);
    var words = line.text.split(/\s+/);
    function update(done) {
      var frac = done ? 1 : Math.min(1, (Date.now() - clipStartedAt) / Math.max(1, line.durationMs));
      text.textContent = words.slice(0, Math.max(1, Math.ceil(frac * words.length))).join(' ');
    }
    update(false);
    var timer = setInterval(function () { update(false); }, 150);
    return { finish: function () { clearInterval(timer); update(true); } };
  }

  // ---- chat -------------------------------------------------------------------------------
  function setChat(open) {
    local.chatOpen = open;
    post({ type: 'chat_panel', value: open });
    if (!open) {
      if (refs.chatPanel) refs.chatPanel.remove();
      refs.chatPanel = null;
      return;
    }
    var textarea = h('textarea', {
      class: rnd(),
      'aria-label': 'Send a message',
      placeholder: 'Send a message',
      maxlength: '500',
      rows: '2',
      oninput: function () { send.disabled = textarea.value.trim() === ''; },
      onkeydown: function (e) {
        if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendChat(); }
      },
    });
    var send = h('button', { class: C.ctl, 'aria-label': 'Send a message', jsname: 'SoqoBf', disabled: true, onclick: function () { sendChat(); } }, [
      h('span', { class: C.btnText, text: '➤' }),
    ]);
    function sendChat() {
      var text = textarea.value.trim();
      if (text === '') return;
      textarea.value = '';
      send.disabled = true;
      post({ type: 'chat', text: text });
    }
    refs.chatList = h('div', { role: 'list', 'aria-live': 'polite', class: rnd(), jsname: 'xySENc' });
    local.renderedChatIds = {};
    refs.chatPanel = h('div', { class: C.panel, role: 'complementary', 'aria-label': 'Side panel' }, [
      h('div', { class: rnd() }, [
        h('h2', { class: rnd(), text: 'In-call messages' }),
        h('button', { class: C.ctl, 'aria-label': 'Close', onclick: function () { setChat(false); } }, [h('span', { class: C.btnText, text: '✕' })]),
      ]),
      h('div', { class: rnd(), text: 'Messages can only be seen by people in the call and are deleted when the call ends.' }),
      refs.chatList,
      h('div', { class: rnd() }, [textarea, send]),
    ]);
    root.appendChild(refs.chatPanel);
    if (refs.toastArea) refs.toastArea.textContent = '';
    renderChat();
  }

  function chatTime(at) {
    var d = new Date(at);
    var hh = d.getHours() % 12 || 12;
    var mm = ('0' + d.getMinutes()).slice(-2);
    return hh + ':' + mm + ' ' + (d.getHours() < 12 ? 'AM' : 'PM');
  }

  var seenChat = null; // ids present when the page entered the call; older ones never toast
  function renderChat() {
    var chat = view.chat || [];
    if (seenChat === null) {
      seenChat = {};
      chat.forEach(function (m) { seenChat[m.id] = true; });
    }
    chat.forEach(function (m) {
      var mine = m.from === view.botName;
      if (refs.chatPanel && !local.renderedChatIds[m.id]) {
        local.renderedChatIds[m.id] = true;
        refs.chatList.appendChild(h('div', { class: C.msg, role: 'listitem', 'data-message-id': 'sim/' + m.id, 'data-sender-name': mine ? 'You' : m.from }, [
          h('div', { class: rnd() }, [
            h('div', { class: C.msgSender, text: mine ? 'You' : m.from }),
            h('div', { class: rnd(), text: chatTime(m.at) }),
          ]),
          h('div', { class: C.msgText }, [h('div', { jsname: 'dTKtvb', text: m.text })]),
        ]));
      }
      if (!seenChat[m.id]) {
        seenChat[m.id] = true;
        if (!refs.chatPanel && !mine) toast(m);
      }
    });
  }

  function toast(m) {
    refs.toastArea.textContent = '';
    refs.toastArea.appendChild(h('div', { class: C.toast }, [
      h('div', { class: C.msgSender, text: m.from }),
      h('div', { class: C.msgText, text: m.text }),
    ]));
    clearTimeout(local.unreadToastTimer);
    local.unreadToastTimer = setTimeout(function () { if (refs.toastArea) refs.toastArea.textContent = ''; }, 5000);
  }

  // ---- end screens ------------------------------------------------------------------------
  function renderEnd(text) {
    root.appendChild(h('div', { class: 'sim-center ' + C.screen }, [
      h('h1', { class: C.endText + ' ' + rnd(), text: text }),
      textButton('Return to home screen', { jsname: 'lVYxmb', onclick: function () { location.href = '/'; } }),
    ]));
  }

  // ---- scripted speech ----------------------------------------------------------------------
  /*
   * WebAudio rather than <audio>: clips are scheduled on the audio clock (sample-accurate), and
   * getOutputTimestamp() tells when a sample actually reaches the output device, so the times
   * reported to the server are when the speech is heard, not when play() was called. The
   * context stays open for the whole call (a silent source), like Meet's always-on call audio,
   * so the first clip does not wait for the output stream to start.
   */
  var speech = (function () {
    var clips = {}; // index -> { source, timers, caption, done, started, startedAt }
    var ctx = null;
    function epochNow() { return performance.timeOrigin + performance.now(); }
    function context() {
      if (!ctx) {
        ctx = new AudioContext({ latencyHint: 'interactive' });
        var keepOpen = ctx.createConstantSource();
        keepOpen.offset.value = 0;
        keepOpen.connect(ctx.destination);
        keepOpen.start();
      }
      if (ctx.state === 'suspended') ctx.resume();
      return ctx;
    }
    function outputStamp() {
      var ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
      return ts && ts.performanceTime > 0 ? ts : null;
    }
    function latency() { return (ctx.baseLatency || 0) + (ctx.outputLatency || 0); }
    /** Epoch ms (page clock) at which the sample at context time `t` is heard. */
    function epochAt(t) {
      var ts = outputStamp();
      if (ts) return performance.timeOrigin + ts.performanceTime + (t - ts.contextTime) * 1000;
      return epochNow() + (t - ctx.currentTime + latency()) * 1000;
    }
    /** Context time to start a source at so that it is heard at epoch ms `epoch`. */
    function contextTimeFor(epoch) {
      var ts = outputStamp();
      if (ts) return ts.contextTime + (epoch - performance.timeOrigin - ts.performanceTime) / 1000;
      return ctx.currentTime + (epoch - epochNow()) / 1000 - latency();
    }
    function present(name) {
      return view.participants.some(function (p) { return p.name === name; });
    }
    function report(type, index, at) {
      post({ type: type, index: index, at: Math.round(at * 1000) / 1000 });
    }
    function schedule() {
      if (!view.admittedAt) return;
      var now = Date.now();
      view.script.forEach(function (line) {
        if (clips[line.index]) return;
        // Scheduled on the page clock: the server's admission time minus the measured offset.
        var startAt = view.admittedAt + line.atMs - clockOffset;
        if (startAt - now > PRELOAD_MS) return; // loaded later, when it is close
        var clip = { source: null, timers: [], caption: null, done: false, started: false, startedAt: 0 };
        clips[line.index] = clip;
        if (now > startAt + 1000) { clip.done = true; return; } // the page came too late for this line
        var ac = context();
        fetch(line.audioUrl)
          .then(function (r) { return r.arrayBuffer(); })
          .then(function (bytes) { return ac.decodeAudioData(bytes); })
          .then(function (buffer) {
            if (clip.done) return;
            // Arm shortly before the line is due, with the freshest audio-clock mapping: the
            // mapping settles over the first seconds of a context.
            clip.timers.push(setTimeout(function () { arm(line, clip, buffer, startAt); }, Math.max(0, startAt - ARM_AHEAD_MS - epochNow())));
          })
          .catch(function (e) {
            clip.done = true;
            post({ type: 'audio_error', value: 'clip ' + line.index + ': ' + (e && e.name ? e.name : String(e)) });
          });
      });
    }
    function arm(line, clip, buffer, startAt) {
      if (clip.done) return;
      var source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      var when = Math.max(ctx.currentTime + 0.02, contextTimeFor(startAt));
      source.start(when);
      clip.source = source;
      clip.timers.push(setTimeout(function () {
        if (clip.done) return;
        if (!present(line.speaker) || local.screen !== 'call') { stop(line, clip); return; }
        clip.started = true;
        clip.startedAt = epochAt(when);
        report('utterance_started', line.index, clip.startedAt);
        setSpeaking(line.speaker, true);
        clip.caption = captionFor(line, clip.startedAt);
        var endsAt = clip.startedAt + buffer.duration * 1000;
        clip.timers.push(setTimeout(function () { finish(line, clip, endsAt); }, Math.max(0, endsAt - epochNow())));
      }, Math.max(0, epochAt(when) - epochNow())));
    }
    function finish(line, clip, endedAt) {
      if (clip.done) return;
      clip.done = true;
      clip.timers.forEach(clearTimeout);
      if (clip.started) {
        report('utterance_ended', line.index, endedAt);
        setSpeaking(line.speaker, false);
        if (clip.caption) clip.caption.finish();
      }
    }
    function stop(line, clip) {
      if (clip.source) {
        try { clip.source.stop(); } catch (e) { /* not started yet is fine */ }
      }
      finish(line, clip, epochNow());
    }
    function stopWhere(pred) {
      if (!view) return;
      view.script.forEach(function (line) {
        var clip = clips[line.index];
        if (clip && !clip.done && pred(line)) stop(line, clip);
      });
    }
    return {
      /** Opens the audio output now (the pre-join screen), as Meet does, so it is steady by the call. */
      warmUp: function () { try { context(); } catch (e) { /* no audio stack: clips will report errors */ } },
      schedule: schedule,
      stopAll: function () { stopWhere(function () { return true; }); },
      stopSpeaker: function (name) { stopWhere(function (l) { return l.speaker === name; }); },
    };
  })();

  window.addEventListener('pagehide', function () { speech.stopAll(); });
  speech.warmUp();

  poll();
})();
