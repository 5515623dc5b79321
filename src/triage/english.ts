/**
 * A small fallback for messages that are mostly not Chinese. The knowledge base is written in
 * Chinese; these English cues map common scam wording to the same signal ids so that an
 * English message still gets the red flags it clearly shows. Used only when a message is
 * mostly non-Chinese, and always with a note that English is analysed less well.
 */
import type { MatcherSpec } from './matcher.js';

export const ENGLISH_CUES: MatcherSpec[] = [
  { id: 'safe-account', keywords: ['safe account', 'secure account', 'safety account'], patterns: [] },
  { id: 'screen-sharing', keywords: ['share your screen', 'screen sharing', 'screen share', 'share screen'], patterns: [] },
  { id: 'verification-code', keywords: ['verification code', 'otp', 'one-time password', 'one time password', 'sms code'], patterns: ['\\bcode\\b[^.!?]{0,30}\\b(?:send|tell|give|share)', '\\b(?:send|tell|give|share)\\b[^.!?]{0,30}\\bcode\\b'] },
  { id: 'pay-first-fee', keywords: ['processing fee', 'handling fee', 'deposit first', 'pay a fee', 'release fee', 'clearance fee', 'upfront fee', 'advance fee'], patterns: [] },
  { id: 'unfreeze-fee', keywords: ['unfreeze', 'account frozen', 'account is frozen', 'account has been frozen', 'account suspended', 'account has been suspended'], patterns: [] },
  { id: 'download-app', keywords: ['download the app', 'install the app', 'download our app', 'install this app', '.apk'], patterns: [] },
  { id: 'keep-secret', keywords: ["don't tell anyone", 'do not tell anyone', 'keep this secret', 'keep it confidential', "don't tell your family", 'do not hang up'], patterns: [] },
  { id: 'guaranteed-returns', keywords: ['guaranteed return', 'guaranteed profit', 'risk-free', 'risk free', 'no risk', 'double your money'], patterns: [] },
  { id: 'crypto-payment', keywords: ['bitcoin', 'usdt', 'crypto', 'btc', 'ethereum', 'wallet address'], patterns: [] },
  { id: 'gift-card-code', keywords: ['gift card', 'itunes card', 'google play card', 'steam card'], patterns: [] },
  { id: 'refund-offer', keywords: ['refund', 'compensation', 'reimburse'], patterns: [] },
  { id: 'parcel-problem', keywords: ['parcel', 'package', 'delivery failed', 'shipment'], patterns: [] },
  { id: 'official-accusation', keywords: ['money laundering', 'arrest warrant', 'warrant for your arrest', 'criminal case', 'under investigation', 'police case'], patterns: [] },
  { id: 'transfer-to-stranger', keywords: ['wire the money', 'transfer the money', 'send money', 'transfer funds', 'western union'], patterns: [] },
  { id: 'easy-money-job', keywords: ['work from home', 'part-time job', 'part time job', 'easy money', 'earn $', 'daily pay', 'per day'], patterns: [] },
  { id: 'like-follow-task', keywords: ['like and follow', 'like videos', 'like the video', 'follow the account', 'screenshot'], patterns: [] },
  { id: 'prize-winning', keywords: ['you have won', "you've won", 'congratulations', 'lucky winner', 'prize', 'lottery'], patterns: [] },
  { id: 'urgent-pressure', keywords: ['urgent', 'immediately', 'within 24 hours', 'act now', 'right now', 'final notice', 'last chance'], patterns: [] },
  { id: 'phishing-link', keywords: ['click the link', 'click here', 'click this link', 'log in to verify', 'verify your account', 'confirm your details', 'update your details'], patterns: [] },
  { id: 'personal-info-request', keywords: ['card number', 'bank details', 'password', 'pin code', 'id number', 'passport number', 'cvv'], patterns: [] },
  { id: 'overseas-high-pay', keywords: ['cambodia', 'myanmar', 'high salary abroad', 'work overseas', 'job in thailand'], patterns: [] },
  { id: 'relative-emergency', keywords: ['hi mum', 'hi mom', 'hi dad', 'new number', 'lost my phone', 'in hospital', 'had an accident'], patterns: [] },
  { id: 'nude-chat', keywords: ['nude', 'naked', 'sex video', 'webcam'], patterns: [] },
  { id: 'blackmail-video', keywords: ['recorded you', 'send the video to your contacts', 'your contacts will see', 'we have your video'], patterns: [] },
  { id: 'credit-record-threat', keywords: ['credit score', 'credit record', 'credit report'], patterns: [] },
  { id: 'mentor-group', keywords: ['investment group', 'trading signals', 'stock tips', 'insider'], patterns: [] },
  { id: 'remote-statement', keywords: ['video statement', 'police badge', 'take your statement'], patterns: [] },
];
