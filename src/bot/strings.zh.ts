/**
 * Every fixed sentence the bot says, in Simplified Chinese. An English locale would be a
 * sibling file with the same keys (the type below makes a missing key a compile error).
 */
export const zh = {
  botName: '反诈助手',
  welcome:
    '你好，我是反诈助手 🛡️\n\n' +
    '收到可疑的短信、微信消息，或者接到奇怪的电话，直接把内容发给我（电话就用自己的话说一说），我帮你看看像不像诈骗、哪里不对劲、现在该怎么办。\n\n' +
    '平时也可以来玩「情景闯关」和「每日一题」，练练识骗的眼力。',
  welcomeBack: '欢迎回来！收到可疑消息，直接发给我就行。',
  askGroup: '先说说你属于哪一类人吧？我会按你的情况挑最常见的骗局给你练（随时可以在菜单里改）。',
  groupSaved: (name: string) => `好的，已记下：${name}。`,
  groupUnknown: '没认出是哪一类，请点下面的按钮选一个。',
  changeGroup: '换身份',
  pickGroup: '选身份',
  groupTip: (name: string) => `给${name}的提醒：`,
  menuTitle: '想做什么？点按钮，或者直接把可疑的消息发给我。',
  menu: {
    triage: '这是诈骗吗',
    scenarios: '情景闯关',
    quiz: '每日一题',
    types: '了解诈骗类型',
    progress: '我的进度',
    hotlines: '求助电话',
    delete: '删除我的数据',
  },
  menuHint: '（也可以打字：菜单、帮助、退出，或者按钮前面的数字）',
  help:
    '我能做这些事：\n' +
    '1. 这是诈骗吗：把可疑短信、聊天记录粘贴给我，或者描述一下电话内容\n' +
    '2. 情景闯关：模拟一次真实骗局，看你能不能识破\n' +
    '3. 每日一题：一道小题，附讲解\n' +
    '4. 了解诈骗类型：本地最常见的 13 类骗局\n' +
    '5. 我的进度：看看哪些骗局已经掌握\n' +
    '6. 求助电话：110、96110 什么时候打\n' +
    '7. 删除我的数据\n\n' +
    '任何时候发「菜单」回到这里，发「退出」结束当前练习。',
  triagePrompt: '把可疑的短信、聊天内容粘贴过来，或者用自己的话说说电话里对方讲了什么。',
  tooShort: '内容有点少，我看不出来。能把完整的短信或者对方说的话发给我吗？',
  onlyText: '暂时只能看文字。图片或文件里的内容，麻烦你打字或者复制文字发给我。',
  noWords: '我只看到了表情或符号。请把可疑的短信、聊天内容，或者对方在电话里说的话，用文字发给我。',
  askForContent: '把那条消息的原文复制过来，或者说说对方是怎么说的、要你做什么，我帮你看看。',
  hello: '你好！收到可疑的消息，直接发给我就行。',
  thanks: '不客气！以后遇到拿不准的消息，随时发给我。',
  lostTitle: '🚨 钱已经转出去了？马上这样做',
  verdictTitle: {
    'high-risk': '⚠️ 高度疑似诈骗',
    suspicious: '❗ 有可疑之处',
    'low-risk': '暂未发现明显的诈骗迹象',
  },
  likelyType: (name: string) => `最像：${name}`,
  typeUnclear: '类型：还说不准',
  confidence: (pct: number) => `把握程度：约 ${pct}%`,
  whatToDo: '现在该怎么做：',
  practise: '练一练这类骗局',
  forward: '转发给家人',
  forwardIntro: '复制下面这段话发给家里人：',
  followupIntro: '还拿不太准，问你几个问题（回答「是」或「不是」）：',
  followupYes: '是',
  followupNo: '不是',
  followupUnclear: '请回答「是」或「不是」，或者发「退出」跳过。',
  refined: '结合你的回答，重新判断如下：',
  shareConsent: '愿意把这条消息（已经去掉了电话、身份证、银行卡等个人信息）匿名交给反诈宣传人员，帮助更多人识破新骗局吗？',
  shareYes: '愿意分享',
  shareNo: '不用了',
  shareThanks: '谢谢你！消息已经匿名交给宣传人员。',
  shareSkipped: '好的，不分享。',
  hotlinesTitle: '求助电话',
  typesTitle: '本地最常见的 13 类电信网络诈骗（括号里是占本地案件的比例）：',
  typesPick: '点一个类型，或者回复前面的数字，看看这类骗局是怎么一步步骗人的。',
  typeStages: '骗局是这样展开的：',
  typeScripts: '骗子常说：',
  typeAdvice: '怎么防：',
  typeLegal: '法律提醒：',
  scenarioNone: '暂时没有合适的情景。',
  scenarioIntro: (title: string) => `情景闯关：${title}`,
  scenarioPick: '挑一个情景开始吧：',
  scenarioRecommended: '为你推荐：',
  scenarioChoose: '你会怎么做？',
  scenarioFeedbackSafe: '✅ 做得对！',
  scenarioFeedbackRisky: '❌ 有风险！',
  scenarioLost: (yuan: number) => `结局：被骗 ${yuan.toLocaleString('zh-CN')} 元`,
  scenarioAvoided: '结局：成功识破骗局 🎉',
  scenarioLesson: '这一关要记住：',
  scenarioChanged: '这个情景刚刚更新过（或者已经下线），之前的进度没法接着玩了。我们从头开始，或者换一个吧。',
  scenarioUnknownChoice: '没认出你选的是哪一个，请点按钮或者发选项前面的数字。',
  scenarioResume: (title: string) => `你上次玩「${title}」还没玩完，接着来：`,
  continueLast: '继续上次',
  nextScenario: '再来一关',
  backToMenu: '回到菜单',
  quizTitle: '每日一题',
  quizScamOrNot: '下面这条消息，是诈骗吗？',
  quizIsScam: '是诈骗',
  quizNotScam: '不是诈骗',
  quizRight: '✅ 答对了！',
  quizWrong: '❌ 答错了。',
  quizAnswerWas: (a: string) => `正确答案：${a}`,
  quizUnclear: '请点按钮作答，或者发选项前面的数字。',
  quizNext: '再来一题',
  quizNone: '题库暂时是空的。',
  progressTitle: '我的进度',
  progressEmpty: '你还没开始练习。来一关「情景闯关」或者「每日一题」吧！',
  progressLine: (name: string, correct: number, attempts: number, mastered: boolean) =>
    `${mastered ? '✅' : '▫️'} ${name}：答对 ${correct}/${attempts}`,
  progressSummary: (mastered: number, total: number) => `已掌握 ${mastered}/${total} 类骗局。`,
  progressDue: (n: number) => `有 ${n} 道题到了该复习的时候。`,
  certificateTitle: '🏅 反诈达人证书',
  certificate: (date: string) =>
    `🏅 恭喜！你已经掌握了全部 13 类常见骗局，获得「反诈达人」证书（${date}）。\n把这份本事也教给家里人吧！`,
  deleteConfirm: '确定要删除你在这里的全部数据吗？包括身份选择、学习进度和对话记录，删除后不能恢复。',
  deleteYes: '确定删除',
  deleteNo: '不删了',
  deleteDone: '已经删除了你的全部数据。想再用的时候，随时发消息给我。',
  deleteCancelled: '好的，没有删除。',
  exitDone: '好的，已经结束。',
  rateLimited: '你发得太快了，歇一口气，过一分钟再发吧。',
  error: '抱歉，我这边出了点问题，刚才的操作没有完成。请再发一次，或者发「菜单」重新开始。',
  unknownButton: '这个按钮已经过期了，请发「菜单」重新选择。',
} as const;

export type Strings = typeof zh;
