export enum Profession {
  PWP = 'PWP',
  CYWP = 'CYWP',
  EMHP = 'EMHP',
  MHWP = 'MHWP',
  Other = 'other',
}

export enum CareerStage {
  Trainee = 'trainee',
  Qualified = 'qualified',
  Senior = 'senior',
}

/** The seven NHS England regions with a Psychological Professions Network, plus national communities. */
export enum Region {
  NorthEastAndYorkshire = 'north_east_and_yorkshire',
  NorthWest = 'north_west',
  Midlands = 'midlands',
  EastOfEngland = 'east_of_england',
  London = 'london',
  SouthEast = 'south_east',
  SouthWest = 'south_west',
  National = 'national',
}

export enum MembershipStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
  Suspended = 'suspended',
}

export enum CommunityRole {
  Member = 'member',
  Moderator = 'moderator',
  CoChair = 'co_chair',
}

/** Higher rank includes the powers of lower ranks. */
export const ROLE_RANK: Record<CommunityRole, number> = {
  [CommunityRole.Member]: 1,
  [CommunityRole.Moderator]: 2,
  [CommunityRole.CoChair]: 3,
};

export enum UserTokenKind {
  VerifyEmail = 'verify_email',
  ResetPassword = 'reset_password',
}
