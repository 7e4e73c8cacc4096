import { Link } from 'react-router-dom';
import { PageHeading } from '../components/ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>If you typed the web address, check it is correct.</p>
      <p>
        <Link to="/">Go to the CoP Hub home page</Link>
      </p>
    </>
  );
}
