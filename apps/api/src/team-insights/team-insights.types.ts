import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class TeamWeek {
  @Field(() => Date) weekStart!: Date;
  @Field(() => Int, { nullable: true, description: 'Null when fewer than the minimum members had meetings that week' }) members!: number | null;
  @Field(() => Int, { nullable: true }) meetings!: number | null;
  @Field(() => Float, { nullable: true }) averageScore!: number | null;
}

@ObjectType()
export class DistributionBucket {
  @Field(() => String) label!: string;
  @Field(() => Float) from!: number;
  @Field(() => Float, { nullable: true, description: 'Null for the open-ended last bucket' }) to!: number | null;
  @Field(() => Int, { description: 'Analysed meetings in this bucket' }) count!: number;
}

@ObjectType()
export class AreaCount {
  @Field(() => String) area!: string;
  @Field(() => Int, { description: 'Members with this improvement area at least once' }) members!: number;
  @Field(() => Int, { description: 'Analysed meetings that raised it' }) occurrences!: number;
}

@ObjectType({ description: 'One member’s own figures, present only when that member chose to share them' })
export class MemberFigures {
  @Field(() => ID) userId!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) meetings!: number;
  @Field(() => Float, { nullable: true }) averageScore!: number | null;
  @Field(() => Float, { nullable: true }) talkTimeShare!: number | null;
  @Field(() => Float, { nullable: true }) wordsPerMinute!: number | null;
  @Field(() => Float, { nullable: true }) fillerWordsPer100!: number | null;
}

@ObjectType({ description: 'Aggregates over a team’s analysed meetings; never a transcript, recording or unshared individual figure' })
export class TeamInsights {
  @Field(() => ID) teamId!: string;
  @Field(() => String) teamName!: string;
  @Field(() => Int) weeks!: number;
  @Field(() => Int) memberCount!: number;
  @Field(() => Int, { description: 'Members with at least one analysed meeting in the window' }) membersWithData!: number;
  @Field(() => Int) minimumMembers!: number;
  @Field(() => Boolean, { description: 'True when fewer than minimumMembers have data: no figures are shown' }) suppressed!: boolean;
  @Field(() => Int) meetings!: number;
  @Field(() => Float, { nullable: true }) averageScore!: number | null;
  @Field(() => Float, { nullable: true, description: 'Average of the last 4 weeks minus the 4 before' }) scoreChange!: number | null;
  @Field(() => [TeamWeek]) weekly!: TeamWeek[];
  @Field(() => [DistributionBucket]) talkShare!: DistributionBucket[];
  @Field(() => [DistributionBucket]) pace!: DistributionBucket[];
  @Field(() => [DistributionBucket]) fillers!: DistributionBucket[];
  @Field(() => [AreaCount]) topImprovementAreas!: AreaCount[];
  @Field(() => [MemberFigures]) individuals!: MemberFigures[];
}
