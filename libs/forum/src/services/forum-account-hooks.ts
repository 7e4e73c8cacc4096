import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountService } from '@cophub/identity';
import { DataSource } from 'typeorm';

/**
 * The forum's share of a personal data export (posts written, bookmarks, watched threads), and what
 * closing an account means here: posts stay (the author shows as "Former member"), private lists go.
 */
@Injectable()
export class ForumAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountService,
  ) {}

  onModuleInit(): void {
    this.accounts.registerExporter('forum', async (userId) => ({
      posts: await this.dataSource.query(
        `SELECT t.title AS thread, p.post_number AS "postNumber", p.body_source AS markdown,
                p.created_at AS "createdAt", p.edited_at AS "editedAt", p.deleted_at AS "deletedAt"
           FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id
          WHERE p.author_id = $1 ORDER BY p.created_at`,
        [userId],
      ),
      bookmarks: await this.dataSource.query(
        'SELECT post_id AS "postId", created_at AS "createdAt" FROM forum_bookmarks WHERE user_id = $1',
        [userId],
      ),
      subscriptions: await this.dataSource.query(
        'SELECT thread_id AS "threadId", level FROM forum_subscriptions WHERE user_id = $1',
        [userId],
      ),
    }));
    this.accounts.registerCloser('forum', async (userId) => {
      for (const table of ['forum_bookmarks', 'forum_subscriptions', 'forum_read_states']) {
        await this.dataSource.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
      }
    });
  }
}
