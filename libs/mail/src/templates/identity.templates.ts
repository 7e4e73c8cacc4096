import { layout, NotificationLinks, RenderedMail } from './render';

/** Account and membership mail. */
export interface IdentityTemplates {
  'identity.verify-email': { displayName: string; url: string; expiresInHours: number };
  'identity.password-reset': { displayName: string; url: string; expiresInMinutes: number };
  'identity.password-changed': { displayName: string };
  'identity.handle-changed': { displayName: string; oldHandle: string; newHandle: string };
  'identity.registration-attempt': { displayName: string; signInUrl: string; resetUrl: string; expiresInMinutes: number };
  'membership.requested': NotificationLinks & {
    coChairName: string;
    applicantName: string;
    communityName: string;
    url: string;
  };
  'membership.approved': NotificationLinks & { displayName: string; communityName: string; url: string };
  'membership.rejected': NotificationLinks & { displayName: string; communityName: string; communitiesUrl?: string };
}

export const IDENTITY_TEMPLATES: { [K in keyof IdentityTemplates]: (params: IdentityTemplates[K]) => RenderedMail } = {
  'identity.verify-email': (p) =>
    layout('Confirm your email address for CoP Hub', {
      paragraphs: [
        `Hello ${p.displayName},`,
        'Please confirm your email address to finish setting up your CoP Hub account.',
        `This link works once and expires in ${p.expiresInHours} hours.`,
      ],
      action: { label: 'Confirm email address', url: p.url },
      footer: 'If you did not create an account, you can ignore this email.',
    }),
  'identity.password-reset': (p) =>
    layout('Reset your CoP Hub password', {
      paragraphs: [
        `Hello ${p.displayName},`,
        'We received a request to reset your password.',
        `This link works once and expires in ${p.expiresInMinutes} minutes.`,
      ],
      action: { label: 'Choose a new password', url: p.url },
      footer: 'If you did not ask for this, you can ignore this email; your password has not changed.',
    }),
  'identity.registration-attempt': (p) =>
    layout('Someone tried to register with your email address', {
      paragraphs: [
        `Hello ${p.displayName},`,
        'Someone just tried to create a CoP Hub account with this email address, which already has one.',
        `If it was you, you can sign in at ${p.signInUrl}, or choose a new password with the link below ` +
          `(it works once and expires in ${p.expiresInMinutes} minutes).`,
      ],
      action: { label: 'Choose a new password', url: p.resetUrl },
      footer: 'If it was not you, you can ignore this email: your account has not changed.',
    }),
  'identity.password-changed': (p) =>
    layout('Your CoP Hub password was changed', {
      paragraphs: [
        `Hello ${p.displayName},`,
        'Your password was just changed and you have been signed out everywhere.',
        'If this was not you, reset your password now and tell your community co-chairs.',
      ],
    }),
  'identity.handle-changed': (p) =>
    layout(`Your CoP Hub handle is now @${p.newHandle}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `Your handle @${p.oldHandle} read like a word CoP Hub keeps for itself (such as admin, co-chair or ` +
          `everyone), so it has been changed to @${p.newHandle}. Mentions of you in posts now show the new one.`,
        'You can choose another handle on your profile page in CoP Hub.',
      ],
    }),
  'membership.requested': (p) =>
    layout(`${p.applicantName} asked to join ${p.communityName}`, {
      paragraphs: [`Hello ${p.coChairName},`, `${p.applicantName} has asked to join ${p.communityName}.`],
      action: { label: 'Review membership requests', url: p.url },
      notification: p,
    }),
  'membership.approved': (p) =>
    layout(`Welcome to ${p.communityName}`, {
      paragraphs: [`Hello ${p.displayName},`, `Your membership of ${p.communityName} has been approved.`],
      action: { label: 'Open the community', url: p.url },
      notification: p,
    }),
  'membership.rejected': (p) =>
    layout(`Your request to join ${p.communityName}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `Your request to join ${p.communityName} was not approved. If you think this is a mistake, contact the co-chairs.`,
      ],
      ...(p.communitiesUrl ? { action: { label: 'See other communities', url: p.communitiesUrl } } : {}),
      notification: p,
    }),
};
