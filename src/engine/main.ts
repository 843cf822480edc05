import { jobHandlers } from './process/jobs';
import { connectParentPort } from './process/port';
import { serveJobs } from './process/serve-jobs';

/** Engine process entry: runs jobs sent by the lab, reports progress, results and errors as messages. */
serveJobs(connectParentPort(), jobHandlers);
