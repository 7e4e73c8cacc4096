import 'nhsuk-frontend/dist/nhsuk.min.css';
import './styles.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { queryClient } from './api/query';
import { AuthProvider, RequireAuth } from './auth/auth';
import { Layout } from './components/Layout';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';

// Every page but the home page is its own chunk, loaded when first visited.
const page = <M,>(load: () => Promise<M>, name: keyof M) =>
  lazy(async () => ({ default: (await load())[name] as React.ComponentType }));

const Register = page(() => import('./pages/auth/RegisterPage'), 'RegisterPage');
const VerifyEmail = page(() => import('./pages/auth/VerifyEmailPage'), 'VerifyEmailPage');
const SignIn = page(() => import('./pages/auth/SignInPage'), 'SignInPage');
const SignedOut = page(() => import('./pages/auth/SignInPage'), 'SignedOutPage');
const ForgotPassword = page(() => import('./pages/auth/PasswordResetPages'), 'ForgotPasswordPage');
const ResetPassword = page(() => import('./pages/auth/PasswordResetPages'), 'ResetPasswordPage');
const Profile = page(() => import('./pages/auth/ProfilePage'), 'ProfilePage');
const Communities = page(() => import('./pages/communities/CommunitiesPage'), 'CommunitiesPage');
const CommunityShell = page(() => import('./pages/communities/CommunityNav'), 'CommunityShell');
const Community = page(() => import('./pages/communities/CommunityPage'), 'CommunityPage');
const PageView = page(() => import('./pages/communities/PagesPages'), 'CommunityPageView');
const PageEdit = page(() => import('./pages/communities/PagesPages'), 'CommunityPageEdit');
const PageHistory = page(() => import('./pages/communities/PagesPages'), 'CommunityPageHistory');
const Members = page(() => import('./pages/communities/MembersPage'), 'MembersPage');
const Calendar = page(() => import('./pages/events/CalendarPage'), 'CalendarPage');
const EventPage = page(() => import('./pages/events/EventPage'), 'EventPage');
const EventForm = page(() => import('./pages/events/EventFormPage'), 'EventFormPage');
const Cpd = page(() => import('./pages/events/CpdPage'), 'CpdPage');
const ProfileCardPage = page(() => import('./components/ProfileCard'), 'ProfileCardPage');
const Resources = page(() => import('./pages/resources/ResourcesPage'), 'ResourcesPage');
const ResourceForm = page(() => import('./pages/resources/ResourceFormPage'), 'ResourceFormPage');
const Resource = page(() => import('./pages/resources/ResourcePage'), 'ResourcePage');
const ResourceEdit = page(() => import('./pages/resources/ResourceEditPage'), 'ResourceEditPage');
const Contributors = page(() => import('./pages/resources/ContributorsPage'), 'ContributorsPage');
const Search = page(() => import('./pages/search/SearchPage'), 'SearchPage');
const SearchRedirect = page(() => import('./pages/search/SearchPage'), 'SearchRedirect');
const Forum = page(() => import('./pages/forum/ForumPages'), 'ForumPage');
const Latest = page(() => import('./pages/forum/ForumPages'), 'LatestPage');
const ForumCategory = page(() => import('./pages/forum/ForumPages'), 'CategoryPage');
const Moderation = page(() => import('./pages/forum/ForumPages'), 'ModerationPage');
const Bookmarks = page(() => import('./pages/forum/ForumPages'), 'BookmarksPage');
const ThreadView = page(() => import('./pages/forum/ThreadPage'), 'ThreadPage');
const ManageCategories = page(() => import('./pages/forum/CoChairPages'), 'ManageCategoriesPage');
const AnnouncementForm = page(() => import('./pages/forum/CoChairPages'), 'AnnouncementFormPage');
const Polls = page(() => import('./pages/polls/PollsPages'), 'PollsPage');
const PollBuilder = page(() => import('./pages/polls/PollBuilderPage'), 'PollBuilderPage');
const PollPreview = page(() => import('./pages/polls/PollPage'), 'PollPreviewPage');
const PollView = page(() => import('./pages/polls/PollPage'), 'PollPage');
const PollReport = page(() => import('./pages/polls/PollResults'), 'PollReportPage');
const Notifications = page(() => import('./pages/notifications/NotificationsPage'), 'NotificationsPage');
const Preferences = page(() => import('./pages/notifications/PreferencesPage'), 'PreferencesPage');
const MailSubmissions = page(() => import('./pages/mail-in/SubmissionsPage'), 'SubmissionsPage');

const signedIn = (element: React.ReactNode) => <RequireAuth>{element}</RequireAuth>;

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/register', element: <Register /> },
      { path: '/verify-email', element: <VerifyEmail /> },
      { path: '/sign-in', element: <SignIn /> },
      { path: '/signed-out', element: <SignedOut /> },
      { path: '/forgot-password', element: <ForgotPassword /> },
      { path: '/reset-password', element: <ResetPassword /> },
      { path: '/profile', element: signedIn(<Profile />) },
      { path: '/communities', element: signedIn(<Communities />) },
      {
        // Every community page carries the community's sub-navigation. Public pages need no sign-in.
        element: <CommunityShell />,
        children: [
          { path: '/c/:slug', element: signedIn(<Community />) },
          { path: '/c/:slug/members', element: signedIn(<Members />) },
          { path: '/c/:slug/events', element: signedIn(<Calendar />) },
          { path: '/c/:slug/events/new', element: signedIn(<EventForm />) },
          { path: '/c/:slug/forum', element: signedIn(<Forum />) },
          { path: '/c/:slug/forum/categories', element: signedIn(<ManageCategories />) },
          { path: '/c/:slug/forum/:categoryId', element: signedIn(<ForumCategory />) },
          { path: '/c/:slug/announcements/new', element: signedIn(<AnnouncementForm />) },
          { path: '/c/:slug/t/:threadId', element: signedIn(<ThreadView />) },
          { path: '/c/:slug/t/:threadId/:postNumber', element: signedIn(<ThreadView />) },
          { path: '/c/:slug/moderation', element: signedIn(<Moderation />) },
          { path: '/c/:slug/bookmarks', element: signedIn(<Bookmarks />) },
          { path: '/c/:slug/polls', element: signedIn(<Polls />) },
          { path: '/c/:slug/polls/new', element: signedIn(<PollBuilder />) },
          { path: '/c/:slug/polls/:id', element: signedIn(<PollView />) },
          { path: '/c/:slug/polls/:id/edit', element: signedIn(<PollBuilder />) },
          { path: '/c/:slug/polls/:id/preview', element: signedIn(<PollPreview />) },
          { path: '/c/:slug/resources', element: signedIn(<Resources />) },
          { path: '/c/:slug/resources/new', element: signedIn(<ResourceForm />) },
          { path: '/c/:slug/resources/contributors', element: signedIn(<Contributors />) },
          { path: '/c/:slug/resources/:id/edit', element: signedIn(<ResourceEdit />) },
          { path: '/c/:slug/search', element: signedIn(<Search />) },
          { path: '/c/:slug/latest', element: signedIn(<Latest />) },
          { path: '/c/:slug/mail-submissions', element: signedIn(<MailSubmissions />) },
          { path: '/c/:slug/pages/new', element: signedIn(<PageEdit />) },
          { path: '/c/:slug/pages/:pageSlug', element: <PageView /> },
          { path: '/c/:slug/pages/:pageSlug/edit', element: signedIn(<PageEdit />) },
          { path: '/c/:slug/pages/:pageSlug/history', element: <PageHistory /> },
        ],
      },
      { path: '/events/:id', element: <EventPage /> },
      { path: '/events/:id/edit', element: signedIn(<EventForm />) },
      { path: '/polls/:id', element: signedIn(<PollView />) },
      { path: '/polls/:id/report', element: signedIn(<PollReport />) },
      { path: '/resources/:id', element: signedIn(<Resource />) },
      { path: '/search', element: signedIn(<SearchRedirect />) },
      { path: '/cpd', element: signedIn(<Cpd />) },
      { path: '/u/:handle', element: signedIn(<ProfileCardPage />) },
      { path: '/notifications', element: signedIn(<Notifications />) },
      { path: '/settings/notifications', element: signedIn(<Preferences />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>
  </StrictMode>,
);
