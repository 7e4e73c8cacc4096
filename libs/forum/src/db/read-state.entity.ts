import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '@cophub/identity';
import { ForumThread } from './thread.entity';

/** How far a member has read a thread. Only ever moves forward (GREATEST on upsert). */
@Entity('forum_read_states')
export class ForumReadState {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_forum_read_states_user_id' })
  user?: User;

  @PrimaryColumn({ type: 'uuid' })
  threadId: string;

  @ManyToOne(() => ForumThread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_forum_read_states_thread_id' })
  thread?: ForumThread;

  @Column({ type: 'uuid' })
  communityId: string;

  @Column({ type: 'int', default: 0 })
  lastReadPostNumber: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
