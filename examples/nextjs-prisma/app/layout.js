export const metadata = { title: 'Next.js + Prisma shop', description: 'A Runway example: Next.js on hosts, Prisma migrations' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>{children}</body>
    </html>
  );
}
