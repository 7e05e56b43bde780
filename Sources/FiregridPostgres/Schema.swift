/// The database's tables, in versioned migrations applied in order, each in its own
/// transaction and recorded in `schema_migrations`: `migrate` is safe to run any number of
/// times, by any number of processes at once (an advisory lock makes them take turns).
///
/// One database holds many towns. Each record is kept as the very JSON the data folder writes
/// for its file (encoded by FiregridStore, so the two stores cannot drift), with a version for
/// optimistic concurrency; the audit lines are the data folder's too (the same canonical
/// bytes and SHA-256 chain, per town), written in the same transaction as the records.
public enum Schema {
  /// (version, what it does, SQL). Never edit one that has shipped: add the next.
  public static let migrations: [(version: Int, name: String, sql: String)] = [
    (
      1, "towns, records, audit",
      """
      CREATE TABLE towns (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- The audit chain's end: the next change continues from here (row-locked while it does).
        last_sequence bigint NOT NULL DEFAULT 0,
        last_hash text NOT NULL
      );
      -- One row per file the data folder would hold: kind is its folder ("households",
      -- "archive/visits"; "town" for town.json, "supervision" for supervision.json).
      CREATE TABLE records (
        town_id text NOT NULL REFERENCES towns (id),
        kind text NOT NULL,
        record_id text NOT NULL,
        version bigint NOT NULL,
        body text NOT NULL,
        -- Hex SHA-256 of body: the file line of the audit chain records it.
        digest text NOT NULL,
        updated_by text NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (town_id, kind, record_id)
      );
      CREATE TABLE audit (
        town_id text NOT NULL REFERENCES towns (id),
        sequence bigint NOT NULL,
        time text NOT NULL,
        operator text NOT NULL,
        record text NOT NULL,
        field text NOT NULL,
        before text,
        after text,
        previous_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (town_id, sequence)
      );
      -- A household's history: its record, and its visits' by prefix.
      CREATE INDEX audit_record ON audit (town_id, record text_pattern_ops);
      -- The day's backup, taken once a day per town.
      CREATE TABLE backups (
        town_id text NOT NULL REFERENCES towns (id),
        day text NOT NULL,
        taken_at text NOT NULL,
        taken_by text NOT NULL,
        location text NOT NULL,
        PRIMARY KEY (town_id, day)
      );
      -- Who holds a town (exclusive mode): the session that took its advisory lock, by its
      -- server process id; a row whose session is gone holds nothing (joined to pg_locks).
      -- Not pg_stat_activity.application_name: the server keeps only ASCII there.
      CREATE TABLE town_holders (
        town_id text PRIMARY KEY,
        pid integer NOT NULL,
        operator text NOT NULL,
        since text NOT NULL
      );
      -- The name last used, offered at the start-up question.
      CREATE TABLE last_operators (
        town_id text PRIMARY KEY,
        name text NOT NULL
      );
      """
    ),
    (
      2, "clerk and inspector roles",
      """
      -- Two group roles, cluster-wide (created once, whichever database migrates first): each
      -- clerk or inspector logs in as a role of their own that is a member of one of them
      -- (firegrid db user add). Clerks read and write the towns; inspectors (督查) only read,
      -- refused by the server itself whatever they send. The audit is append-only to clerks.
      DO $$
      BEGIN
        CREATE ROLE firegrid_clerk NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$;
      DO $$
      BEGIN
        CREATE ROLE firegrid_inspector NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$;
      GRANT SELECT ON towns, records, audit, backups, town_holders, last_operators,
        schema_migrations TO firegrid_clerk, firegrid_inspector;
      GRANT INSERT, UPDATE ON towns, town_holders, last_operators TO firegrid_clerk;
      GRANT INSERT, UPDATE, DELETE ON records TO firegrid_clerk;
      GRANT INSERT ON audit, backups TO firegrid_clerk;
      -- Tables a later migration adds are readable by both; their writes are granted there.
      ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT ON TABLES TO firegrid_clerk, firegrid_inspector;
      -- A clerk's audit lines name the clerk who is logged in, not a name typed in: the server
      -- refuses any other (the program writes the session's own name for clerks). Others (the
      -- database's owner importing a folder) keep the operator they give.
      CREATE FUNCTION firegrid_audit_operator() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF NEW.operator IS DISTINCT FROM current_user::text AND EXISTS (
          SELECT 1 FROM pg_auth_members m
          JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
          WHERE u.rolname = current_user AND g.rolname = 'firegrid_clerk')
        THEN
          RAISE EXCEPTION 'audit operator % is not the logged-in clerk %', NEW.operator,
            current_user USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END
      $f$;
      CREATE TRIGGER audit_operator BEFORE INSERT ON audit
        FOR EACH ROW EXECUTE FUNCTION firegrid_audit_operator();
      """
    ),
    (
      3, "statistics facts beside each record",
      """
      -- A households or visits record's statistics facts (StatisticsFacts: one line, its
      -- format's version first), written with its body in the same statement; NULL for the
      -- other kinds, and for rows written before this version until the county's table fills
      -- them in from the body. Clerks' UPDATE on records already covers the new column.
      ALTER TABLE records ADD COLUMN facts text;
      """
    ),
    (
      4, "one paper entered once; damaged records set aside",
      """
      -- Every paper form entered (a household's visit, a premises' inspection), by what makes
      -- it that paper: whose record, the day and the visitor ('' when the paper names nobody
      -- on the roster). Derived from the records by a trigger, whoever writes them (a save,
      -- an import, a repair), so the same paper typed by two clerks is refused by the server's
      -- unique constraint, in whichever order and however close together they save.
      CREATE TABLE papers (
        town_id text NOT NULL,
        kind text NOT NULL,
        record_id text NOT NULL,
        paper_date text NOT NULL,
        visitor text NOT NULL,
        visit_id text NOT NULL,
        CONSTRAINT papers_once UNIQUE (town_id, kind, record_id, paper_date, visitor)
      );
      -- A record's visits as (id, date, visitor): rows under the file's visitColumns header,
      -- or objects (files of schema 3 and before, imported as they were).
      CREATE FUNCTION firegrid_record_papers(body text)
        RETURNS TABLE (visit_id text, paper_date text, visitor text)
        LANGUAGE plpgsql IMMUTABLE AS $f$
      DECLARE
        record jsonb := body::jsonb;
        columns jsonb := record -> 'visitColumns';
        id_at int; date_at int; visitor_at int;
      BEGIN
        IF columns IS NULL THEN
          RETURN QUERY SELECT v ->> 'id', v ->> 'date', coalesce(v ->> 'visitorID', '')
            FROM jsonb_array_elements(coalesce(record -> 'visits', '[]')) v;
          RETURN;
        END IF;
        SELECT o - 1 INTO id_at FROM jsonb_array_elements_text(columns) WITH ORDINALITY c(n, o)
          WHERE n = 'id';
        SELECT o - 1 INTO date_at FROM jsonb_array_elements_text(columns) WITH ORDINALITY c(n, o)
          WHERE n = 'date';
        SELECT o - 1 INTO visitor_at
          FROM jsonb_array_elements_text(columns) WITH ORDINALITY c(n, o) WHERE n = 'visitorID';
        RETURN QUERY SELECT v ->> id_at, v ->> date_at, coalesce(v ->> visitor_at, '')
          FROM jsonb_array_elements(coalesce(record -> 'visits', '[]')) v;
      END
      $f$;
      CREATE FUNCTION firegrid_papers() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.kind IN ('visits', 'inspections') THEN
          DELETE FROM papers
          WHERE town_id = OLD.town_id AND kind = OLD.kind AND record_id = OLD.record_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.kind IN ('visits', 'inspections') THEN
          INSERT INTO papers (town_id, kind, record_id, paper_date, visitor, visit_id)
          SELECT NEW.town_id, NEW.kind, NEW.record_id, p.paper_date, p.visitor, p.visit_id
          FROM firegrid_record_papers(NEW.body) p;
        END IF;
        RETURN NULL;
      END
      $f$;
      -- Only when a body changes: the county's facts written back beside an unchanged body
      -- must not read every visit record again (600,000 rows: 67 s instead of 23 s).
      CREATE TRIGGER records_papers AFTER INSERT OR DELETE ON records
        FOR EACH ROW EXECUTE FUNCTION firegrid_papers();
      CREATE TRIGGER records_papers_changed AFTER UPDATE ON records
        FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
        EXECUTE FUNCTION firegrid_papers();
      -- Papers already in the database. The program always refused a twin on the form, so
      -- none is expected; one that is there all the same is kept once here, and its record
      -- cannot be saved again until one of the two is taken back (U).
      INSERT INTO papers (town_id, kind, record_id, paper_date, visitor, visit_id)
      SELECT r.town_id, r.kind, r.record_id, p.paper_date, p.visitor, p.visit_id
      FROM records r, firegrid_record_papers(r.body) p
      WHERE r.kind IN ('visits', 'inspections')
      ON CONFLICT DO NOTHING;
      GRANT SELECT ON papers TO firegrid_clerk, firegrid_inspector;
      GRANT INSERT, DELETE ON papers TO firegrid_clerk;
      -- A damaged record's bytes, kept when a good copy replaces it (the data folder keeps the
      -- file beside itself as <name>.damaged-<day>): never deleted by the program.
      CREATE TABLE set_aside (
        town_id text NOT NULL,
        kind text NOT NULL,
        record_id text NOT NULL,
        set_aside_at text NOT NULL,
        set_aside_by text NOT NULL,
        body text NOT NULL
      );
      GRANT SELECT ON set_aside TO firegrid_clerk, firegrid_inspector;
      GRANT INSERT ON set_aside TO firegrid_clerk;
      """
    ),
  ]

  /// The newest version this program knows.
  public static var latestVersion: Int { migrations.last?.version ?? 0 }

  /// Applies the migrations the database has not had yet; returns the versions applied now.
  /// A database newer than this program is refused.
  @discardableResult
  public static func migrate(_ connection: PGConnection) throws(PostgresError) -> [Int] {
    // Every open comes here: an up-to-date database costs one query, no lock. Up to date is
    // every migration applied, not only the newest: one merged from another branch may carry
    // a lower number than one a development database already has.
    let (count, newest) = try applied(connection)
    if count == migrations.count, newest == latestVersion { return [] }
    // Two processes migrating at once take turns (the second finds the work done): even
    // CREATE TABLE IF NOT EXISTS fails when two run it at the same moment.
    try connection.exec("SELECT pg_advisory_lock(\(lockKey))")
    defer { _ = try? connection.exec("SELECT pg_advisory_unlock(\(lockKey))") }
    try connection.exec(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
      """)
    let applied = Set(
      try connection.exec("SELECT version FROM schema_migrations").rows.compactMap {
        $0[0].flatMap { Int($0) }
      })
    if let newest = applied.max(), newest > latestVersion {
      throw PostgresError(SchemaText.newerDatabase(newest, latestVersion))
    }
    var done: [Int] = []
    for migration in migrations where !applied.contains(migration.version) {
      do {
        try connection.transaction {
          try connection.exec(migration.sql)
          try connection.exec(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            [String(migration.version), migration.name])
        }
      } catch let error as PostgresError {
        throw PostgresError(
          SchemaText.migrationFailed(migration.version, error.message), sqlState: error.sqlState)
      } catch {
        throw PostgresError(SchemaText.migrationFailed(migration.version, "\(error)"))
      }
      done.append(migration.version)
    }
    return done
  }

  /// How many migrations the database has had and the newest (0, 0: never migrated): one
  /// query, the table missing said by the server (42P01).
  static func applied(_ connection: PGConnection) throws(PostgresError) -> (
    count: Int, newest: Int
  ) {
    do {
      let row = try connection.exec(
        "SELECT count(*), coalesce(max(version), 0) FROM schema_migrations"
      ).rows.first
      return (Int(row?[0] ?? "") ?? 0, Int(row?[1] ?? "") ?? 0)
    } catch  where error.sqlState == "42P01" {
      return (0, 0)
    }
  }

  /// The version the database is at (0: never migrated).
  public static func currentVersion(_ connection: PGConnection) throws(PostgresError) -> Int {
    let exists = try connection.exec("SELECT to_regclass('schema_migrations') IS NOT NULL")
    guard exists.scalar == "t" else { return 0 }
    return Int(try connection.exec("SELECT max(version) FROM schema_migrations").scalar ?? "")
      ?? 0
  }

  /// pg_advisory_lock key of the migrations (any constant no other lock of ours uses).
  static let lockKey = 7_301_001
}

enum SchemaText {
  static func newerDatabase(_ found: Int, _ known: Int) -> String {
    "数据库结构是第\(found)版，本程序只认识到第\(known)版：请先升级程序"
  }
  static func migrationFailed(_ version: Int, _ detail: String) -> String {
    "数据库结构升级到第\(version)版失败（已回滚）：\(detail)"
  }
  static let notMigrated = "数据库还没有初始化：请先运行 firegrid db init"
}
