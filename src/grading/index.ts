/**
 * Grading: questions, `check()` in notebooks, and the grader behind `efflab grade`
 * and `efflab release` (DESIGN.md, "Grading model").
 */
export * from "./question";
export { check, checkAll, runCheck, runCheckAll, checkReportText, checkReportHtml, kernelDefinitions } from "./check";
export type { CheckOptions, CheckAllOptions, CheckReport } from "./check";
export { courseQuestions } from "./questions";
export { answerGuard, isStub, needsLine, notImplementedId } from "./answer-guard";
export type { AnswerGuard, AnswerGuardOptions } from "./answer-guard";
export { guardAnswerUses, guardCellSource, GUARD_NAME } from "./answer-guard-transform";
export type { GuardedCell } from "./answer-guard-transform";
export { isQuestion, isHiddenTests, questionsInModule, hiddenTestsInModule, hiddenTestsFor, labOfQuestion, questionMaxPoints, questionProblems } from "./question-registry";
export { runGradedTests, failAllTests, failureMessage } from "./test-outcome";
export type { TestOutcome, TestSuiteKind, RunGradedTestsOptions } from "./test-outcome";
export { readNotebookText, indexAnswerCells, answerMarkerId, cellSourceText, notebookFromCells, splitAnswerFile, notebookLanguage, ANSWER_MARKER } from "./notebook-cells";
export type { NotebookJson, NotebookCellJson, NotebookReadResult, AnswerCell, AnswerCellIndex } from "./notebook-cells";
export { stripSolutionBlocks, studentEditionOf, referenceEditionOf, notImplementedStub, hasSolutionBlock } from "./solution-markers";
export { compileAnswerCells, answerModuleText, ANSWER_PRELUDE, KERNEL_COMPILER_OPTIONS } from "./answer-compiler";
export { NOTEBOOK_SETUP_CELL } from "./notebook-setup";
export type { AnswerSource, CompiledAnswer, CompileAnswersOptions } from "./answer-compiler";
export { gradeNotebookFile, planSubmission, runSubmissionPlan, loadGradingSetup, questionsForSubmission } from "./submission-grader";
export type { GradingSetup, SubmissionReport, QuestionReport, SubmissionPlan, PlannedQuestion, LoadedSetup } from "./submission-grader";
export { gradeSubmissions, parseShard, selectShard, submissionNames } from "./grade-runner";
export type { GradeRunOptions, GradeRun, GradedSubmission, GradeProgress, GradeShard } from "./grade-runner";
export { gradescopeResults, gradescopeResultsProblems } from "./gradescope-results";
export type { GradescopeResults, GradescopeTest, GradescopeResultsOptions } from "./gradescope-results";
export { courseGradingSetup, hiddenSuitesIn } from "./grading-setup";
export type { CourseSetupOptions } from "./grading-setup";
export { buildRelease, releaseLeaks, solutionTexts, hiddenTexts } from "./release";
export type { ReleaseOptions, ReleaseManifest, ReleaseLeak } from "./release";
export type { QuestionLimits, SandboxResult } from "./question-sandbox";
