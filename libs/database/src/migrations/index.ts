import { Foundation1764064800000 } from './1764064800000-foundation';
import { Bots1764100000000 } from './1764100000000-bots';
import { AnalysisPipeline1764200000000 } from './1764200000000-analysis-pipeline';
import { Calendars1764300000000 } from './1764300000000-calendars';
import { UserPreferences1764600000000 } from './1764600000000-user-preferences';
import { SpeakerUnlinkOnUserDelete1764600000001 } from './1764600000001-speaker-unlink-on-user-delete';
import { LateJoinerNotice1764700000000 } from './1764700000000-late-joiner-notice';
import { EmailNotifications1764700000001 } from './1764700000001-email-notifications';

/** Every migration, in order. Listed explicitly so sources and dist/ load the same set. */
export const MIGRATIONS = [Foundation1764064800000, Bots1764100000000, AnalysisPipeline1764200000000, Calendars1764300000000, UserPreferences1764600000000, SpeakerUnlinkOnUserDelete1764600000001, LateJoinerNotice1764700000000, EmailNotifications1764700000001];
