/*
 * 反诈助手 web chat page. Asks the server for a session (an anonymous identity kept in
 * localStorage, and a Direct Line token), then renders Microsoft's Web Chat with it.
 * Plain ES2017 with no build step; WebChat comes from /static/webchat.js, loaded deferred
 * after this file, so the session request runs while the big bundle is still downloading.
 */
(function () {
  'use strict';

  var IDENTITY_KEY = 'fanzha.identity.v1';
  var CONVERSATION_KEY = 'fanzha.conversation.v1';
  var BIG_KEY = 'fanzha.bigText';
  var FONT = '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif';
  // botframework-directlinejs ConnectionStatus values.
  var ONLINE = 2, EXPIRED_TOKEN = 3, FAILED_TO_CONNECT = 4, ENDED = 5;
  // Longest message text the built-in Direct Line accepts (src/channels/directline/inbound.ts).
  var MAX_TEXT_CHARS = 8000;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try {
      if (value === null || value === undefined) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: the identity lasts for this page only */ }
  }
  function $(id) { return document.getElementById(id); }

  var big = read(BIG_KEY) === '1';
  var rerender = null;

  function applyBig() {
    document.documentElement.classList.toggle('big', big);
    $('big-button').setAttribute('aria-pressed', String(big));
  }
  applyBig();
  $('big-button').onclick = function () {
    big = !big;
    write(BIG_KEY, big ? '1' : '0');
    applyBig();
    if (rerender) rerender();
  };
  $('retry-button').onclick = function () { window.location.reload(); };

  function requestSession(conversationId) {
    return fetch('/api/webchat/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ identity: read(IDENTITY_KEY) || undefined, conversationId: conversationId || undefined })
    }).then(function (res) {
      if (!res.ok) throw new Error('session ' + res.status);
      return res.json();
    }).then(function (s) {
      write(IDENTITY_KEY, s.identity);
      return s;
    });
  }

  // Start at once: the bundle may take a while on a slow connection.
  var firstSession = requestSession(read(CONVERSATION_KEY));

  function showStatus(text, retry, over) {
    $('status-text').textContent = text;
    $('retry-button').hidden = !retry;
    $('status').hidden = false;
    $('status').classList.toggle('over', !!over);
  }
  function hideStatus() { $('status').hidden = true; }

  function styleOptions() {
    return {
      primaryFont: FONT,
      accent: '#b3261e',
      subtle: '#5f5f5f',
      backgroundColor: '#f2f3f5',
      paddingRegular: 10,
      bubbleBackground: '#ffffff',
      bubbleBorderWidth: 0,
      bubbleBorderRadius: 10,
      bubbleFromUserBackground: '#d9f2cf',
      bubbleFromUserBorderWidth: 0,
      bubbleFromUserBorderRadius: 10,
      bubbleMaxWidth: 640,
      bubbleMinHeight: big ? 48 : 40,
      fontSizeSmall: big ? '90%' : '80%',
      hideUploadButton: true,
      sendBoxHeight: big ? 60 : 48,
      sendBoxTextWrap: true,
      sendBoxMaxHeight: big ? 220 : 160,
      suggestedActionLayout: 'flow',
      suggestedActionHeight: big ? 52 : 40,
      suggestedActionBorderRadius: 20,
      suggestedActionBorderWidth: 1,
      suggestedActionBorderColor: '#b3261e',
      suggestedActionTextColor: '#b3261e',
      suggestedActionBackgroundColor: '#ffffff',
      cardEmphasisBackgroundColor: '#fff4e5',
      timestampColor: '#767676'
    };
  }

  // Scam messages quoted back in the bot's replies must never turn into tappable links:
  // render Markdown as usual, then turn every link into plain text.
  function renderMarkdownWithoutLinks(markdown, newLineOptions, linkOptions) {
    var html = window.WebChat.renderMarkdown(markdown, newLineOptions, linkOptions);
    return html.replace(/<a\b[^>]*>([\s\S]*?)<\/a>/gi, function (_, inner) {
      return '<span class="unlinked">' + inner.replace(/<img\b[^>]*>/gi, '') + '</span>';
    });
  }

  // ?join=CODE: taken once, then removed from the address so a reload does not join again.
  var joinCode = (function () {
    var m = /[?&]join=([A-Za-z0-9]{4,8})(?:&|$)/.exec(window.location.search);
    if (m && window.history && window.history.replaceState) window.history.replaceState(null, '', window.location.pathname);
    return m ? m[1].toUpperCase() : null;
  })();

  function start(session) {
    var WebChat = window.WebChat;
    var directLine = WebChat.createDirectLine({
      token: session.token,
      domain: session.domain,
      conversationId: session.conversationId,
      // Polling works through every proxy and in WeChat's browser.
      webSocket: false
    });
    var store = WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          if (action.type === 'WEB_CHAT/SEND_MESSAGE' && action.payload && typeof action.payload.text === 'string' && action.payload.text.length > MAX_TEXT_CHARS) {
            // A very long paste would be refused by the server (413); the bot only reads the start anyway.
            action = Object.assign({}, action, { payload: Object.assign({}, action.payload, { text: action.payload.text.slice(0, MAX_TEXT_CHARS) }) });
          }
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            $('menu-button').disabled = false;
            if (joinCode) {
              // A class join link (?join=CODE, from the teacher's QR code): join for the student.
              store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: '加入 ' + joinCode } });
              joinCode = null;
            }
          }
          return next(action);
        };
      };
    });

    function render() {
      WebChat.renderWebChat({
        directLine: directLine,
        store: store,
        userID: session.userId,
        username: '我',
        locale: 'zh-CN',
        sendTypingIndicator: true,
        renderMarkdown: renderMarkdownWithoutLinks,
        styleOptions: styleOptions(),
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: '把可疑的短信、聊天内容粘贴到这里' }
      }, $('chat'));
    }

    var refreshing = false;
    directLine.connectionStatus$.subscribe(function (status) {
      if (status === ONLINE) {
        hideStatus();
        if (directLine.conversationId) write(CONVERSATION_KEY, directLine.conversationId);
      } else if (status === EXPIRED_TOKEN && !refreshing) {
        // The phone slept past the token's lifetime: a new token for the same conversation.
        refreshing = true;
        requestSession(directLine.conversationId).then(function (s) {
          refreshing = false;
          directLine.reconnect({ conversationId: directLine.conversationId, token: s.token });
        }, function () {
          refreshing = false;
          showStatus('连接断开了，请检查网络。', true, true);
        });
      } else if (status === ENDED || status === FAILED_TO_CONNECT) {
        // The conversation expired or the server restarted: progress is kept, start a new one.
        write(CONVERSATION_KEY, null);
        showStatus('聊天连接断开了，点「重新连接」继续（你的进度不会丢）。', true, true);
      }
    });

    $('menu-button').onclick = function () {
      store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE_BACK', payload: { text: '菜单', displayText: '菜单', value: { a: 'menu' } } });
    };
    rerender = render;
    render();
  }

  function boot() {
    if (!window.WebChat) {
      showStatus('聊天组件没有加载出来，可能是网络不好。请检查网络后重试。', true);
      return;
    }
    firstSession.then(start, function () {
      showStatus('暂时连不上服务器，请检查网络后重试。', true);
    });
  }

  // Deferred scripts run in order before DOMContentLoaded, so webchat.js has run by then
  // (readyState is already "interactive" here, which says nothing about it).
  if (window.WebChat || document.readyState === 'complete') boot();
  else document.addEventListener('DOMContentLoaded', boot);
})();
