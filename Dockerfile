# syntax=docker/dockerfile:1

# Build: every dependency, then the bundled service and the bundled Lambda function.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm run lambda:package

# The notifier function in AWS's own Lambda base image; its Runtime Interface Emulator serves
# the Lambda Invoke API on port 8080 (function name "function").
FROM public.ecr.aws/lambda/nodejs:24 AS notifier
COPY --from=build /app/lambda/dist/index.mjs ${LAMBDA_TASK_ROOT}/
CMD ["index.handler"]

# The API: production dependencies only, the bundle, a non-root user.
FROM node:24-bookworm-slim AS api
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "--max-semi-space-size=16", "--max-old-space-size=256", "dist/main.js"]
