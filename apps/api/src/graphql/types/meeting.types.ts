import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Where the bot of a meeting is, in plain words' })
export class BotState {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'scheduled, joining_call, in_waiting_room, in_call_recording, done, fatal…' }) status!: string;
  @Field(() => String, { nullable: true }) subCode!: string | null;
  @Field(() => String, { description: 'The status and sub-code explained' }) explanation!: string;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class MeetingSummary {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) platform!: string | null;
  @Field(() => Int, { nullable: true, description: 'Seconds' }) duration!: number | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Int, { nullable: true, description: 'My communication score in this meeting (0–100)' }) myScore!: number | null;
  @Field(() => BotState, { nullable: true, description: 'The latest bot sent to this meeting' }) bot!: BotState | null;
  @Field(() => Boolean) isOwner!: boolean;
  @Field(() => String, { nullable: true, description: 'Latest analysis run: queued, running, completed or failed' }) analysisStatus!: string | null;
}

@ObjectType({ description: 'One part of the score against its reference band' })
export class ScoreComponent {
  @Field(() => String) key!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Int, { nullable: true }) score!: number | null;
  @Field(() => String) band!: string;
}

@ObjectType()
export class SpeakerMetricsView {
  @Field(() => Float) talkTimeSec!: number;
  @Field(() => Float, { description: '0–1' }) talkTimeShare!: number;
  @Field(() => Float, { nullable: true }) wordsPerMinute!: number | null;
  @Field(() => Float, { nullable: true }) fillerWordsPer100!: number | null;
  @Field(() => Int) questionCount!: number;
  @Field(() => Float) longestMonologueSec!: number;
  @Field(() => Int) interruptionsMade!: number;
  @Field(() => Int) interruptionsReceived!: number;
  @Field(() => Int) turns!: number;
}

@ObjectType()
export class Excerpt {
  @Field(() => Float, { description: 'Seconds from the start of the recording' }) start!: number;
  @Field(() => Float) end!: number;
  @Field(() => String) text!: string;
  @Field(() => String, { nullable: true, description: "Set on someone else's words shown as context" }) speakerId!: string | null;
}

@ObjectType()
export class EvidenceMetric {
  @Field(() => String) name!: string;
  @Field(() => Float, { nullable: true }) value!: number | null;
}

@ObjectType()
export class ImprovementArea {
  @Field(() => String) area!: string;
  @Field(() => String, { description: 'low, medium or high' }) severity!: string;
  @Field(() => [EvidenceMetric]) metrics!: EvidenceMetric[];
  @Field(() => [Excerpt]) excerpts!: Excerpt[];
}

@ObjectType()
export class MyAnalysis {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) speakerName!: string | null;
  @Field(() => Int) score!: number;
  @Field(() => [ScoreComponent]) components!: ScoreComponent[];
  @Field(() => SpeakerMetricsView) metrics!: SpeakerMetricsView;
  @Field(() => [ImprovementArea]) improvementAreas!: ImprovementArea[];
  @Field(() => [String]) recommendations!: string[];
}

@ObjectType()
export class SpeakerShare {
  @Field(() => String) label!: string;
  @Field(() => String) name!: string;
  @Field(() => Float) talkTimeSec!: number;
  @Field(() => Float, { description: '0–1 of all speakers’ talk time' }) share!: number;
  @Field(() => Boolean) isMe!: boolean;
}

@ObjectType()
export class ConsentOptOut {
  @Field(() => String, { nullable: true }) participantName!: string | null;
  @Field(() => String) message!: string;
  @Field(() => Date) at!: Date;
}

@ObjectType({ description: 'Someone who joined after the notice' })
export class ConsentLateJoiner {
  @Field(() => String) name!: string;
  @Field(() => Date) seenAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the bot posted the notice again for them; null when it did not' }) notifiedAt!: Date | null;
}

@ObjectType({ description: 'What the bot announced, when, who was there, and who opted out' })
export class ConsentRecord {
  @Field(() => String) channel!: string;
  @Field(() => String) noticeText!: string;
  @Field(() => Date, { nullable: true }) postedAt!: Date | null;
  @Field(() => [String], { description: 'Everyone the bot saw: present at the notice, then late joiners' }) participants!: string[];
  @Field(() => [ConsentLateJoiner]) lateJoiners!: ConsentLateJoiner[];
  @Field(() => [ConsentOptOut]) optOuts!: ConsentOptOut[];
  @Field(() => Boolean) recordingDeleted!: boolean;
}

@ObjectType()
export class MeetingReport {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) platform!: string | null;
  @Field(() => Int, { nullable: true }) duration!: number | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Boolean) isOwner!: boolean;
  @Field(() => BotState, { nullable: true }) bot!: BotState | null;
  @Field(() => String, { nullable: true, description: 'Latest analysis run: queued, running, completed or failed' }) analysisStatus!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the latest analysis run finished; null while one is queued or running' }) analysedAt!: Date | null;
  @Field(() => MyAnalysis, { nullable: true, description: 'Null until the analysis is ready' }) myAnalysis!: MyAnalysis | null;
  @Field(() => [SpeakerShare]) speakers!: SpeakerShare[];
  @Field(() => [ConsentRecord], { description: 'Only for the meeting owner' }) consent!: ConsentRecord[];
  @Field(() => Boolean, { description: 'GET /api/v1/meetings/:id/transcript has something' }) hasTranscript!: boolean;
  @Field(() => Boolean, { description: 'GET /api/v1/meetings/:id/recording has something' }) hasRecording!: boolean;
}

@ObjectType()
export class TrendPoint {
  @Field(() => ID) meetingId!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) date!: Date;
  @Field(() => Int) score!: number;
  @Field(() => Float, { nullable: true }) talkTimeShare!: number | null;
  @Field(() => Float, { nullable: true }) wordsPerMinute!: number | null;
  @Field(() => Float, { nullable: true }) fillerWordsPer100!: number | null;
  @Field(() => Int, { nullable: true }) questionCount!: number | null;
  @Field(() => Float, { nullable: true }) longestMonologueSec!: number | null;
}

@ObjectType()
export class PracticeExercise {
  @Field(() => String) kind!: string;
  @Field(() => String) instructions!: string;
  @Field(() => [Excerpt], { description: 'My own words this exercise works on' }) excerpts!: Excerpt[];
  @Field(() => String, { nullable: true, description: 'The excerpt with fillers in [brackets]' }) markedText!: string | null;
  @Field(() => Float, { nullable: true }) targetWordsPerMinute!: number | null;
  @Field(() => Int, { nullable: true }) targetMaxWords!: number | null;
  @Field(() => Float) estimatedMin!: number;
}

@ObjectType()
export class PracticeModuleView {
  @Field(() => ID) id!: string;
  @Field(() => String) moduleType!: string;
  @Field(() => String) title!: string;
  @Field(() => String) difficulty!: string;
  @Field(() => Int, { description: 'Minutes' }) estimatedDuration!: number;
  @Field(() => String) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => ID, { nullable: true }) sourceMeetingId!: string | null;
  @Field(() => [PracticeExercise]) exercises!: PracticeExercise[];
}
