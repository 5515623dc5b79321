/** Class quiz sessions: pure rules and numbers (no botbuilder, restify or sqlite3). */
export * from './types.js';
export * from './codes.js';
export * from './nickname.js';
export * from './quiz-set.js';
export * from './session.js';
export * from './report.js';
