/** GraphQL documents and the shapes they return (docs/schema.graphql). */

export type Role = 'individual' | 'team_lead' | 'admin';

export interface Preferences {
  botName: string;
  consentNotice: string;
  consentNoticeIsDefault: boolean;
  notifyReportReady: boolean;
  notifyWeeklyDigest: boolean;
  emailDelivery: boolean;
  onboardedAt: string | null;
}

export interface Membership {
  teamId: string;
  teamName: string;
  role: 'lead' | 'member';
  shareIndividualMetrics: boolean;
}

export interface Me {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  retentionDays: number | null;
  createdAt: string;
  teams: Membership[];
  preferences: Preferences;
}

const PREFS = 'botName consentNotice consentNoticeIsDefault notifyReportReady notifyWeeklyDigest emailDelivery onboardedAt';
export const ME = `query Me { me { id email displayName role retentionDays createdAt teams { teamId teamName role shareIndividualMetrics } preferences { ${PREFS} } } }`;
export const UPDATE_PREFERENCES = `mutation UpdatePreferences($input: UpdatePreferencesInput!) { updatePreferences(input: $input) { ${PREFS} } }`;
export const SET_SHARE = `mutation SetShare($input: ShareMetricsInput!) { setShareIndividualMetrics(input: $input) { teamId teamName role shareIndividualMetrics } }`;

export interface BotState {
  id: string;
  status: string;
  subCode: string | null;
  explanation: string;
  updatedAt: string;
}

export interface MeetingSummary {
  id: string;
  title: string;
  platform: string | null;
  duration: number | null;
  createdAt: string;
  myScore: number | null;
  isOwner: boolean;
  analysisStatus: string | null;
  bot: BotState | null;
}

const BOT = 'bot { id status subCode explanation updatedAt }';
export const MY_MEETINGS = `query MyMeetings($limit: Int!) { myMeetings(limit: $limit) { id title platform duration createdAt myScore isOwner analysisStatus ${BOT} } }`;

export interface ScoreComponent {
  key: string;
  weight: number;
  value: number | null;
  score: number | null;
  band: string;
}

export interface Excerpt {
  start: number;
  end: number;
  text: string;
  speakerId: string | null;
}

export interface ImprovementArea {
  area: string;
  severity: 'low' | 'medium' | 'high' | string;
  metrics: Array<{ name: string; value: number | null }>;
  excerpts: Excerpt[];
}

export interface SpeakerMetrics {
  talkTimeSec: number;
  talkTimeShare: number;
  wordsPerMinute: number | null;
  fillerWordsPer100: number | null;
  questionCount: number;
  longestMonologueSec: number;
  interruptionsMade: number;
  interruptionsReceived: number;
  turns: number;
}

export interface MeetingReport {
  id: string;
  title: string;
  platform: string | null;
  duration: number | null;
  createdAt: string;
  isOwner: boolean;
  analysisStatus: string | null;
  analysedAt: string | null;
  hasTranscript: boolean;
  hasRecording: boolean;
  bot: BotState | null;
  myAnalysis: {
    id: string;
    speakerName: string | null;
    score: number;
    components: ScoreComponent[];
    metrics: SpeakerMetrics;
    improvementAreas: ImprovementArea[];
    recommendations: string[];
  } | null;
  speakers: Array<{ label: string; name: string; talkTimeSec: number; share: number; isMe: boolean }>;
  consent: Array<{
    channel: string;
    noticeText: string;
    postedAt: string | null;
    participants: string[];
    lateJoiners: Array<{ name: string; seenAt: string; notifiedAt: string | null }>;
    optOuts: Array<{ participantName: string | null; message: string; at: string }>;
    recordingDeleted: boolean;
  }>;
}

export const MEETING = `query Meeting($id: ID!) { meeting(id: $id) {
  id title platform duration createdAt isOwner analysisStatus analysedAt hasTranscript hasRecording ${BOT}
  myAnalysis { id speakerName score components { key weight value score band }
    metrics { talkTimeSec talkTimeShare wordsPerMinute fillerWordsPer100 questionCount longestMonologueSec interruptionsMade interruptionsReceived turns }
    improvementAreas { area severity metrics { name value } excerpts { start end text speakerId } }
    recommendations }
  speakers { label name talkTimeSec share isMe }
  consent { channel noticeText postedAt participants lateJoiners { name seenAt notifiedAt } optOuts { participantName message at } recordingDeleted }
} }`;

export interface TrendPoint {
  meetingId: string;
  title: string;
  date: string;
  score: number;
  talkTimeShare: number | null;
  wordsPerMinute: number | null;
  fillerWordsPer100: number | null;
  questionCount: number | null;
  longestMonologueSec: number | null;
}
export const MY_TRENDS = `query MyTrends($days: Int!) { myTrends(days: $days) { meetingId title date score talkTimeShare wordsPerMinute fillerWordsPer100 questionCount longestMonologueSec } }`;

export interface PracticeModule {
  id: string;
  moduleType: string;
  title: string;
  difficulty: string;
  estimatedDuration: number;
  status: 'not_started' | 'started' | 'completed' | string;
  attempts: number;
  completedAt: string | null;
  createdAt: string;
  sourceMeetingId: string | null;
  exercises: Array<{ kind: string; instructions: string; excerpts: Excerpt[]; markedText: string | null; targetWordsPerMinute: number | null; targetMaxWords: number | null; estimatedMin: number }>;
}
export const MY_PRACTICE = `query MyPractice { myPracticeModules { id moduleType title difficulty estimatedDuration status attempts completedAt createdAt sourceMeetingId
  exercises { kind instructions excerpts { start end text speakerId } markedText targetWordsPerMinute targetMaxWords estimatedMin } } }`;

export interface Bucket {
  label: string;
  from: number;
  to: number | null;
  count: number;
}
export interface TeamInsights {
  teamId: string;
  teamName: string;
  weeks: number;
  memberCount: number;
  membersWithData: number;
  minimumMembers: number;
  suppressed: boolean;
  meetings: number;
  averageScore: number | null;
  scoreChange: number | null;
  weekly: Array<{ weekStart: string; members: number | null; meetings: number | null; averageScore: number | null }>;
  talkShare: Bucket[];
  pace: Bucket[];
  fillers: Bucket[];
  topImprovementAreas: Array<{ area: string; members: number; occurrences: number }>;
  individuals: Array<{ userId: string; name: string; meetings: number; averageScore: number | null; talkTimeShare: number | null; wordsPerMinute: number | null; fillerWordsPer100: number | null }>;
}
const B = '{ label from to count }';
export const TEAM_INSIGHTS = `query TeamInsights($teamId: ID!, $weeks: Int!) { teamInsights(teamId: $teamId, weeks: $weeks) {
  teamId teamName weeks memberCount membersWithData minimumMembers suppressed meetings averageScore scoreChange
  weekly { weekStart members meetings averageScore } talkShare ${B} pace ${B} fillers ${B}
  topImprovementAreas { area members occurrences }
  individuals { userId name meetings averageScore talkTimeShare wordsPerMinute fillerWordsPer100 } } }`;
