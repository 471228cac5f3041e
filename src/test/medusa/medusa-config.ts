import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// Started by RealMedusaResource with DATABASE_URL, PORT and the secrets in the environment.
// No REDIS_URL: Medusa then uses its in-memory event bus, cache, locking and workflow engine.
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://127.0.0.1",
      adminCors: "http://127.0.0.1",
      authCors: "http://127.0.0.1",
      jwtSecret: process.env.JWT_SECRET || "marketbridge-test",
      cookieSecret: process.env.COOKIE_SECRET || "marketbridge-test",
    },
  },
  admin: {
    disable: true,
  },
})
