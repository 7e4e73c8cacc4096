import { renderMail } from './templates';

describe('mail templates', () => {
  it('renders HTML and plain text, escaping what people typed', () => {
    const mail = renderMail('membership.requested', {
      coChairName: 'Priya',
      applicantName: '<script>alert(1)</script> Sam',
      communityName: 'North West CoP',
      url: 'https://cophub.example/c/north-west-cop/members?status=pending&x="y"',
    });
    expect(mail.subject).toBe('<script>alert(1)</script> Sam asked to join North West CoP');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Sam');
    expect(mail.html).toContain(
      'href="https://cophub.example/c/north-west-cop/members?status=pending&amp;x=&quot;y&quot;"',
    );
    expect(mail.text).toContain(
      'Review membership requests: https://cophub.example/c/north-west-cop/members?status=pending&x="y"',
    );
  });

  it('refuses an unknown template name', () => {
    expect(() => renderMail('no.such.template', {})).toThrow(/unknown mail template/);
  });
});
