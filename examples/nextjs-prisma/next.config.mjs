// The build is made once per commit by CI (here: `./runway demo nextjs`, scripts/build.sh) and started by
// scripts/start.mjs; nothing here reads the environment at build time.
const nextConfig = {
  poweredByHeader: false,
  // pg is loaded from node_modules at run time, not bundled (it has optional native parts Next should not trace).
  serverExternalPackages: ['pg'],
};

export default nextConfig;
