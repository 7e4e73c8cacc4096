import type { CareerStage, Profession, Region } from '../../api/types';
import { errorFor, Radios, Select, TextInput, type FieldError } from '../../components/forms';
import { PROFESSIONS, REGIONS, STAGES } from '../../components/labels';

export interface ProfileValues {
  displayName: string;
  profession: Profession | '';
  careerStage: CareerStage | '';
  region: Region | '';
  organisation: string;
}

export const PROFILE_FIELD_IDS = {
  displayName: 'displayName',
  profession: 'profession',
  careerStage: 'careerStage',
  region: 'region',
  organisation: 'organisation',
};

export function validateProfile(values: ProfileValues): FieldError[] {
  const errors: FieldError[] = [];
  if (values.displayName.trim().length < 2) errors.push({ field: 'displayName', message: 'Enter your name' });
  if (!values.profession) errors.push({ field: 'profession', message: 'Select your profession' });
  if (!values.careerStage) errors.push({ field: 'careerStage', message: 'Select your career stage' });
  if (!values.region) errors.push({ field: 'region', message: 'Select your region' });
  return errors;
}

export interface CompleteProfile extends ProfileValues {
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
}

/** The values with every choice made (as `validateProfile` requires), or null. */
export function completeProfile(values: ProfileValues): CompleteProfile | null {
  const { profession, careerStage, region } = values;
  return profession && careerStage && region ? { ...values, profession, careerStage, region } : null;
}

/** Name, profession, stage, region and organisation: shared by registration and the profile page. */
export function ProfileFields({
  values,
  errors,
  onChange,
}: {
  values: ProfileValues;
  errors: FieldError[];
  onChange: (values: ProfileValues) => void;
}) {
  const set = (patch: Partial<ProfileValues>) => onChange({ ...values, ...patch });
  return (
    <>
      <TextInput
        id="displayName"
        label="Your name"
        hint="Shown to other members with your posts"
        autoComplete="name"
        value={values.displayName}
        error={errorFor(errors, 'displayName')}
        onValue={(displayName) => set({ displayName })}
      />
      <Radios
        name="profession"
        legend="Profession"
        options={PROFESSIONS}
        value={values.profession}
        error={errorFor(errors, 'profession')}
        onValue={(v) => set({ profession: v as Profession })}
      />
      <Radios
        name="careerStage"
        legend="Career stage"
        options={STAGES}
        value={values.careerStage}
        error={errorFor(errors, 'careerStage')}
        onValue={(v) => set({ careerStage: v as CareerStage })}
      />
      <Select
        id="region"
        label="Region"
        hint="The NHS England region where you work"
        options={REGIONS}
        placeholder="Select a region"
        value={values.region}
        error={errorFor(errors, 'region')}
        onValue={(v) => set({ region: v as Region })}
      />
      <TextInput
        id="organisation"
        label="Organisation (optional)"
        hint="For example, Pennine Care NHS Foundation Trust"
        autoComplete="organization"
        value={values.organisation}
        error={errorFor(errors, 'organisation')}
        onValue={(organisation) => set({ organisation })}
      />
    </>
  );
}
