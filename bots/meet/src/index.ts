export { MeetBot, type MeetBotOptions } from './meet.bot';
export * from './selectors';
export * from './states';
