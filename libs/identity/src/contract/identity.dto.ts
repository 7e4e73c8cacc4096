import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { CareerStage, Profession, Region } from '../db/enums';
import { MAX_PASSWORD_LENGTH } from '../services/password-hasher';

/** Request bodies of sign-up, sign-in, passwords and the caller's own account. */
export class RegisterDto {
  @ApiProperty({ example: 'sam.patel@nhs.net' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: MAX_PASSWORD_LENGTH })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;

  @ApiProperty({ example: 'Sam Patel' })
  @IsString()
  @Length(2, 80)
  displayName: string;

  @ApiProperty({ enum: Profession })
  @IsEnum(Profession, { message: `profession must be one of ${Object.values(Profession).join(', ')}` })
  profession: Profession;

  @ApiProperty({ enum: CareerStage })
  @IsEnum(CareerStage, { message: `careerStage must be one of ${Object.values(CareerStage).join(', ')}` })
  careerStage: CareerStage;

  @ApiProperty({ enum: Region })
  @IsEnum(Region, { message: `region must be one of ${Object.values(Region).join(', ')}` })
  region: Region;

  @ApiPropertyOptional({ example: 'Pennine Care NHS Foundation Trust' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  organisation?: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @Length(16, 200)
  token: string;
}

export class EmailDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
}

export class LoginDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(16, 200)
  refreshToken: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  newPassword: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 80) displayName?: string;
  @ApiPropertyOptional({
    description:
      'For @mentions: 3 to 30 letters A-Z, digits, _ or -, starting with a letter or digit; unique ignoring case',
    example: 'sam-oneill',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  handle?: string;
  @ApiPropertyOptional({ enum: Profession }) @IsOptional() @IsEnum(Profession) profession?: Profession;
  @ApiPropertyOptional({ enum: CareerStage }) @IsOptional() @IsEnum(CareerStage) careerStage?: CareerStage;
  @ApiPropertyOptional({ enum: Region }) @IsOptional() @IsEnum(Region) region?: Region;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120) organisation?: string;
}

export class CloseAccountDto {
  @ApiProperty({ description: 'Current password, to confirm' }) @IsString() @Length(1, 200) password: string;
}
