import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CareerStage, Profession, Region } from '../entities/enums';
import { User } from '../entities/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';

export interface ProfileChanges {
  displayName?: string;
  profession?: Profession;
  careerStage?: CareerStage;
  region?: Region;
  organisation?: string;
}

/** The user profile other modules read (profession, stage, region) and snapshot where history matters. */
@Injectable()
export class UserService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    return user;
  }

  async getMany(userIds: string[]): Promise<User[]> {
    if (!userIds.length) return [];
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.id = ANY(:ids)', { ids: userIds })
      .getMany();
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<User> {
    const patch = Object.fromEntries(
      Object.entries(changes)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
    );
    if (Object.keys(patch).length) await this.dataSource.getRepository(User).update({ id: userId }, patch);
    return this.get(userId);
  }
}
