export * from './enums';
export * from './poll.entity';
export * from './poll-question.entity';
export * from './poll-option.entity';
export * from './poll-electorate.entity';
export * from './poll-ballot.entity';
