// The comparison point "what a quick implementation does": the same dashboard fields,
// served by Apollo the same way, but each resolver asks the database for its own parent
// only (no DataLoader, no per-parent window queries). Built for the bench, never served.
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Router } from 'express';
import { buildSchema, GraphQLScalarType } from 'graphql';
import { DataSource, In } from 'typeorm';
import { Course } from '../../src/domains/courses/course.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';

const SDL = /* GraphQL */ `
  scalar DateTime
  input CourseFilter {
    ids: [ID!]
  }
  type Query {
    courses(filter: CourseFilter, first: Int): CourseConnection!
  }
  type CourseConnection {
    nodes: [Course!]!
  }
  type Course {
    id: ID!
    title: String
    sisSourceId: String
    lastActivityAt: DateTime!
    submissions(first: Int): SubmissionConnection!
  }
  type SubmissionConnection {
    totalCount: Int!
    nodes: [Submission!]!
  }
  type Submission {
    id: ID!
    userId: ID
    grade: String
    score: Float
    workflowState: String
    late: Boolean
    updatedAt: DateTime
    comments(first: Int): CommentConnection!
    history: [SubmissionVersion!]!
    course: Course
  }
  type CommentConnection {
    totalCount: Int!
    nodes: [SubmissionComment!]!
  }
  type SubmissionComment {
    id: ID!
    authorId: ID
    body: String
    createdAt: DateTime
  }
  type SubmissionVersion {
    eventName: String!
    workflowState: String
    score: Float
    eventTime: DateTime!
  }
`;

type Resolver = (parent: any, args: any) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function naiveRouter(dataSource: DataSource): Promise<Router> {
  const schema = buildSchema(SDL);
  (schema.getType('DateTime') as GraphQLScalarType).serialize = (v: unknown) =>
    v instanceof Date ? v.toISOString() : v;
  const courses = dataSource.getRepository(Course);
  const submissions = dataSource.getRepository(Submission);
  const comments = dataSource.getRepository(SubmissionComment);
  const versions = dataSource.getRepository(SubmissionVersion);
  const resolvers: Record<string, Record<string, Resolver>> = {
    Query: {
      courses: async (_p, args) => ({
        nodes: await courses.find({
          where: { id: In(args.filter?.ids ?? []) },
          order: { id: 'ASC' },
          take: args.first ?? 20,
        }),
      }),
    },
    Course: {
      submissions: (course: Course, args) => ({
        totalCount: () => submissions.countBy({ courseId: course.id }),
        nodes: () => submissions.find({ where: { courseId: course.id }, order: { id: 'ASC' }, take: args.first ?? 20 }),
      }),
    },
    Submission: {
      comments: (s: Submission, args) => ({
        totalCount: () => comments.countBy({ submissionId: s.id }),
        nodes: () => comments.find({ where: { submissionId: s.id }, order: { id: 'ASC' }, take: args.first ?? 20 }),
      }),
      history: (s: Submission) =>
        versions.find({ where: { submissionId: s.id }, order: { clock: 'ASC', eventId: 'ASC' } }),
      course: (s: Submission) => (s.courseId ? courses.findOneBy({ id: s.courseId }) : null),
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as unknown as { getFields(): Record<string, { resolve?: Resolver }> };
    for (const [field, resolve] of Object.entries(fields)) type.getFields()[field].resolve = resolve;
  }
  const server = new ApolloServer({ schema, csrfPrevention: true });
  await server.start();
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }), expressMiddleware(server));
  return router;
}
