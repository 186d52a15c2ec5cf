/** The process logger (winston): structured, to stderr, level from XPFLOW_LOG_LEVEL. */
import winston from 'winston';

export const log = winston.createLogger({
  level: process.env.XPFLOW_LOG_LEVEL ?? 'info',
  format: winston.format.combine(
    winston.format.timestamp(),
    winston.format.printf(({ timestamp, level, message, ...meta }) => {
      const extra = Object.keys(meta).length
        ? ` ${JSON.stringify(meta, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`
        : '';
      return `${timestamp} ${level} ${message}${extra}`;
    }),
  ),
  transports: [
    new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'verbose', 'debug', 'silly'] }),
  ],
});
