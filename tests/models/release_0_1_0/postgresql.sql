-- The schema release 0.1.0 made on PostgreSQL (create_all, then the console's case-list indexes):
-- pg_dump --schema-only of a fresh database, psql meta-commands removed. Used to test migrations.

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

CREATE FUNCTION public.audit_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN RETURN NEW; END IF;  -- chaining pre-chain rows
  RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END $$;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.action_events (
    id integer NOT NULL,
    action_id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(320) NOT NULL,
    event character varying(64) NOT NULL,
    note text NOT NULL,
    file_id integer,
    idempotency_key character varying(300)
);

CREATE SEQUENCE public.action_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.action_events_id_seq OWNED BY public.action_events.id;

CREATE TABLE public.action_evidence (
    id integer NOT NULL,
    action_id integer NOT NULL,
    file_id integer NOT NULL,
    kind character varying(16) NOT NULL,
    submitted_by character varying(320) NOT NULL,
    note text NOT NULL,
    review character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.action_evidence_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.action_evidence_id_seq OWNED BY public.action_evidence.id;

CREATE TABLE public.audit_chain_head (
    id integer NOT NULL,
    seq integer NOT NULL,
    hash character varying(64) NOT NULL
);

CREATE SEQUENCE public.audit_chain_head_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_chain_head_id_seq OWNED BY public.audit_chain_head.id;

CREATE TABLE public.audit_events (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(320) NOT NULL,
    action character varying(64) NOT NULL,
    subject character varying(200) NOT NULL,
    before json,
    after json,
    idempotency_key character varying(300),
    seq integer NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);

CREATE SEQUENCE public.audit_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.audit_events_id_seq OWNED BY public.audit_events.id;

CREATE TABLE public.campaigns (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    template character varying(8) NOT NULL,
    minerals json NOT NULL,
    due_date date NOT NULL,
    reminder_every character varying(16) NOT NULL,
    reminders integer NOT NULL,
    escalation_after character varying(16) NOT NULL,
    page_size integer NOT NULL,
    status character varying(16) NOT NULL,
    surveys_started integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone
);

CREATE SEQUENCE public.campaigns_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.campaigns_id_seq OWNED BY public.campaigns.id;

CREATE TABLE public.corrective_actions (
    id integer NOT NULL,
    survey_id integer NOT NULL,
    n integer NOT NULL,
    workflow_id character varying(200) NOT NULL,
    kind character varying(40) NOT NULL,
    group_key character varying(120) NOT NULL,
    metal character varying(40),
    severity character varying(16) NOT NULL,
    required_outcome text NOT NULL,
    owner character varying(320),
    due_at timestamp with time zone,
    status character varying(16) NOT NULL,
    findings json NOT NULL,
    justification text,
    opened_file_id integer NOT NULL,
    resolved_file_id integer,
    follow_ups integer NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone
);

CREATE SEQUENCE public.corrective_actions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.corrective_actions_id_seq OWNED BY public.corrective_actions.id;

CREATE TABLE public.email_messages (
    id integer NOT NULL,
    survey_id integer,
    kind character varying(20) NOT NULL,
    language character varying(8) NOT NULL,
    "to" json NOT NULL,
    cc json NOT NULL,
    subject character varying(500) NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    links json NOT NULL,
    idempotency_key character varying(300) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    attempts integer NOT NULL,
    last_error text
);

CREATE SEQUENCE public.email_messages_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.email_messages_id_seq OWNED BY public.email_messages.id;

CREATE TABLE public.findings (
    id integer NOT NULL,
    survey_id integer NOT NULL,
    file_id integer,
    code character varying(64) NOT NULL,
    severity character varying(16) NOT NULL,
    message text NOT NULL,
    metal character varying(40),
    smelter_id character varying(40),
    details json NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.findings_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.findings_id_seq OWNED BY public.findings.id;

CREATE TABLE public.registry_alias (
    id integer NOT NULL,
    smelter_id character varying(20) NOT NULL,
    kind character varying(10) NOT NULL,
    alias character varying(300) NOT NULL,
    import_id integer NOT NULL
);

CREATE SEQUENCE public.registry_alias_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.registry_alias_id_seq OWNED BY public.registry_alias.id;

CREATE TABLE public.registry_facility (
    smelter_id character varying(20) NOT NULL,
    metal character varying(40) NOT NULL,
    name character varying(300) NOT NULL,
    country character varying(100),
    street character varying(300),
    city character varying(120),
    state character varying(120),
    first_import_id integer NOT NULL
);

CREATE TABLE public.registry_import (
    id integer NOT NULL,
    file_name character varying(255) NOT NULL,
    sha256 character varying(64) NOT NULL,
    kind character varying(20) NOT NULL,
    as_of date NOT NULL,
    imported_at timestamp with time zone NOT NULL,
    rows_read integer NOT NULL,
    facilities_added integer NOT NULL,
    aliases_added integer NOT NULL,
    statuses_added integer NOT NULL,
    rejected json NOT NULL
);

CREATE SEQUENCE public.registry_import_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.registry_import_id_seq OWNED BY public.registry_import.id;

CREATE TABLE public.registry_status (
    id integer NOT NULL,
    smelter_id character varying(20) NOT NULL,
    import_id integer NOT NULL,
    as_of date NOT NULL,
    status character varying(40) NOT NULL,
    raw_status character varying(120),
    last_audit date,
    cycle_days integer
);

CREATE SEQUENCE public.registry_status_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.registry_status_id_seq OWNED BY public.registry_status.id;

CREATE TABLE public.report_declarations (
    file_id integer NOT NULL,
    family character varying(8) NOT NULL,
    version character varying(16) NOT NULL,
    minerals json NOT NULL,
    answers json NOT NULL,
    smelters json NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);

CREATE TABLE public.smelter_outreach (
    id integer NOT NULL,
    smelter_id character varying(40) NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(320) NOT NULL,
    channel character varying(40) NOT NULL,
    note text NOT NULL
);

CREATE SEQUENCE public.smelter_outreach_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.smelter_outreach_id_seq OWNED BY public.smelter_outreach.id;

CREATE TABLE public.stored_files (
    id integer NOT NULL,
    survey_id integer,
    sha256 character varying(64) NOT NULL,
    size integer NOT NULL,
    path character varying(500) NOT NULL,
    original_name character varying(300) NOT NULL,
    uploaded_by character varying(320) NOT NULL,
    check_status character varying(16) NOT NULL,
    issue_count integer NOT NULL,
    issues json NOT NULL,
    family character varying(8),
    version character varying(16),
    created_at timestamp with time zone NOT NULL,
    checked_at timestamp with time zone
);

CREATE SEQUENCE public.stored_files_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.stored_files_id_seq OWNED BY public.stored_files.id;

CREATE TABLE public.suppliers (
    id integer NOT NULL,
    supplier_id character varying(64) NOT NULL,
    name character varying(300) NOT NULL,
    email character varying(320) NOT NULL,
    contact_name character varying(200) NOT NULL,
    language character varying(8) NOT NULL,
    owner_email character varying(320) NOT NULL,
    minerals json NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE public.suppliers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.suppliers_id_seq OWNED BY public.suppliers.id;

CREATE TABLE public.surveys (
    id integer NOT NULL,
    campaign_id integer NOT NULL,
    supplier_id integer NOT NULL,
    workflow_id character varying(200) NOT NULL,
    stage character varying(20) NOT NULL,
    due_at timestamp with time zone NOT NULL,
    reminders_sent integer NOT NULL,
    fix_rounds integer NOT NULL,
    risk character varying(20),
    exempt_reason text,
    last_file_id integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    requested_at timestamp with time zone,
    responded_at timestamp with time zone,
    closed_at timestamp with time zone
);

CREATE SEQUENCE public.surveys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.surveys_id_seq OWNED BY public.surveys.id;

CREATE TABLE public.users (
    id integer NOT NULL,
    email character varying(320) NOT NULL,
    role character varying(16) NOT NULL,
    password_hash character varying(200) NOT NULL,
    failed_attempts integer NOT NULL,
    locked_until timestamp with time zone,
    session_epoch integer NOT NULL,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_login_at timestamp with time zone
);

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;

ALTER TABLE ONLY public.action_events ALTER COLUMN id SET DEFAULT nextval('public.action_events_id_seq'::regclass);

ALTER TABLE ONLY public.action_evidence ALTER COLUMN id SET DEFAULT nextval('public.action_evidence_id_seq'::regclass);

ALTER TABLE ONLY public.audit_chain_head ALTER COLUMN id SET DEFAULT nextval('public.audit_chain_head_id_seq'::regclass);

ALTER TABLE ONLY public.audit_events ALTER COLUMN id SET DEFAULT nextval('public.audit_events_id_seq'::regclass);

ALTER TABLE ONLY public.campaigns ALTER COLUMN id SET DEFAULT nextval('public.campaigns_id_seq'::regclass);

ALTER TABLE ONLY public.corrective_actions ALTER COLUMN id SET DEFAULT nextval('public.corrective_actions_id_seq'::regclass);

ALTER TABLE ONLY public.email_messages ALTER COLUMN id SET DEFAULT nextval('public.email_messages_id_seq'::regclass);

ALTER TABLE ONLY public.findings ALTER COLUMN id SET DEFAULT nextval('public.findings_id_seq'::regclass);

ALTER TABLE ONLY public.registry_alias ALTER COLUMN id SET DEFAULT nextval('public.registry_alias_id_seq'::regclass);

ALTER TABLE ONLY public.registry_import ALTER COLUMN id SET DEFAULT nextval('public.registry_import_id_seq'::regclass);

ALTER TABLE ONLY public.registry_status ALTER COLUMN id SET DEFAULT nextval('public.registry_status_id_seq'::regclass);

ALTER TABLE ONLY public.smelter_outreach ALTER COLUMN id SET DEFAULT nextval('public.smelter_outreach_id_seq'::regclass);

ALTER TABLE ONLY public.stored_files ALTER COLUMN id SET DEFAULT nextval('public.stored_files_id_seq'::regclass);

ALTER TABLE ONLY public.suppliers ALTER COLUMN id SET DEFAULT nextval('public.suppliers_id_seq'::regclass);

ALTER TABLE ONLY public.surveys ALTER COLUMN id SET DEFAULT nextval('public.surveys_id_seq'::regclass);

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);

ALTER TABLE ONLY public.action_events
    ADD CONSTRAINT pk_action_events PRIMARY KEY (id);

ALTER TABLE ONLY public.action_evidence
    ADD CONSTRAINT pk_action_evidence PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_chain_head
    ADD CONSTRAINT pk_audit_chain_head PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT pk_audit_events PRIMARY KEY (id);

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT pk_campaigns PRIMARY KEY (id);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT pk_corrective_actions PRIMARY KEY (id);

ALTER TABLE ONLY public.email_messages
    ADD CONSTRAINT pk_email_messages PRIMARY KEY (id);

ALTER TABLE ONLY public.findings
    ADD CONSTRAINT pk_findings PRIMARY KEY (id);

ALTER TABLE ONLY public.registry_alias
    ADD CONSTRAINT pk_registry_alias PRIMARY KEY (id);

ALTER TABLE ONLY public.registry_facility
    ADD CONSTRAINT pk_registry_facility PRIMARY KEY (smelter_id);

ALTER TABLE ONLY public.registry_import
    ADD CONSTRAINT pk_registry_import PRIMARY KEY (id);

ALTER TABLE ONLY public.registry_status
    ADD CONSTRAINT pk_registry_status PRIMARY KEY (id);

ALTER TABLE ONLY public.report_declarations
    ADD CONSTRAINT pk_report_declarations PRIMARY KEY (file_id);

ALTER TABLE ONLY public.smelter_outreach
    ADD CONSTRAINT pk_smelter_outreach PRIMARY KEY (id);

ALTER TABLE ONLY public.stored_files
    ADD CONSTRAINT pk_stored_files PRIMARY KEY (id);

ALTER TABLE ONLY public.suppliers
    ADD CONSTRAINT pk_suppliers PRIMARY KEY (id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT pk_surveys PRIMARY KEY (id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT pk_users PRIMARY KEY (id);

ALTER TABLE ONLY public.action_events
    ADD CONSTRAINT uq_action_events_idempotency_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT uq_audit_events_idempotency_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT uq_audit_events_seq UNIQUE (seq);

ALTER TABLE ONLY public.campaigns
    ADD CONSTRAINT uq_campaigns_name UNIQUE (name);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT uq_corrective_actions_survey_id UNIQUE (survey_id, n);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT uq_corrective_actions_workflow_id UNIQUE (workflow_id);

ALTER TABLE ONLY public.email_messages
    ADD CONSTRAINT uq_email_messages_idempotency_key UNIQUE (idempotency_key);

ALTER TABLE ONLY public.registry_alias
    ADD CONSTRAINT uq_registry_alias_key UNIQUE (smelter_id, kind, alias);

ALTER TABLE ONLY public.suppliers
    ADD CONSTRAINT uq_suppliers_supplier_id UNIQUE (supplier_id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT uq_surveys_campaign_id UNIQUE (campaign_id, supplier_id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT uq_surveys_workflow_id UNIQUE (workflow_id);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT uq_users_email UNIQUE (email);

CREATE INDEX ix_action_events_action_id ON public.action_events USING btree (action_id);

CREATE INDEX ix_action_evidence_action_id ON public.action_evidence USING btree (action_id);

CREATE INDEX ix_audit_events_at ON public.audit_events USING btree (at);

CREATE INDEX ix_audit_events_subject ON public.audit_events USING btree (subject);

CREATE INDEX ix_corrective_actions_owner ON public.corrective_actions USING btree (owner);

CREATE INDEX ix_corrective_actions_severity ON public.corrective_actions USING btree (severity);

CREATE INDEX ix_corrective_actions_status ON public.corrective_actions USING btree (status);

CREATE INDEX ix_corrective_actions_survey_id ON public.corrective_actions USING btree (survey_id);

CREATE INDEX ix_email_messages_survey_id ON public.email_messages USING btree (survey_id);

CREATE INDEX ix_findings_metal ON public.findings USING btree (metal);

CREATE INDEX ix_findings_smelter_id ON public.findings USING btree (smelter_id);

CREATE INDEX ix_findings_survey_id ON public.findings USING btree (survey_id);

CREATE INDEX ix_registry_alias_smelter_id ON public.registry_alias USING btree (smelter_id);

CREATE INDEX ix_registry_facility_metal ON public.registry_facility USING btree (metal);

CREATE INDEX ix_registry_import_sha256 ON public.registry_import USING btree (sha256);

CREATE INDEX ix_registry_status_import_id ON public.registry_status USING btree (import_id);

CREATE INDEX ix_registry_status_lookup ON public.registry_status USING btree (smelter_id, as_of);

CREATE INDEX ix_smelter_outreach_smelter_id ON public.smelter_outreach USING btree (smelter_id);

CREATE INDEX ix_stored_files_sha256 ON public.stored_files USING btree (sha256);

CREATE INDEX ix_stored_files_survey_id ON public.stored_files USING btree (survey_id);

CREATE INDEX ix_suppliers_name ON public.suppliers USING btree (name);

CREATE INDEX ix_suppliers_name_lower ON public.suppliers USING btree (lower((name)::text));

CREATE INDEX ix_suppliers_owner_email ON public.suppliers USING btree (owner_email);

CREATE INDEX ix_surveys_campaign_due ON public.surveys USING btree (campaign_id, due_at);

CREATE INDEX ix_surveys_campaign_id ON public.surveys USING btree (campaign_id);

CREATE INDEX ix_surveys_due_at ON public.surveys USING btree (due_at);

CREATE INDEX ix_surveys_progress ON public.surveys USING btree (campaign_id, stage, requested_at, responded_at);

CREATE INDEX ix_surveys_risk ON public.surveys USING btree (risk);

CREATE INDEX ix_surveys_stage ON public.surveys USING btree (stage);

CREATE INDEX ix_surveys_supplier_id ON public.surveys USING btree (supplier_id);

CREATE INDEX ix_surveys_supplier_stage_risk ON public.surveys USING btree (supplier_id, stage, risk);

CREATE INDEX ix_surveys_updated_at ON public.surveys USING btree (updated_at);

CREATE TRIGGER audit_events_no_change BEFORE DELETE OR UPDATE ON public.audit_events FOR EACH ROW EXECUTE FUNCTION public.audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON public.audit_events FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_append_only();

ALTER TABLE ONLY public.action_events
    ADD CONSTRAINT fk_action_events_action_id_corrective_actions FOREIGN KEY (action_id) REFERENCES public.corrective_actions(id);

ALTER TABLE ONLY public.action_events
    ADD CONSTRAINT fk_action_events_file_id_stored_files FOREIGN KEY (file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.action_evidence
    ADD CONSTRAINT fk_action_evidence_action_id_corrective_actions FOREIGN KEY (action_id) REFERENCES public.corrective_actions(id);

ALTER TABLE ONLY public.action_evidence
    ADD CONSTRAINT fk_action_evidence_file_id_stored_files FOREIGN KEY (file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT fk_corrective_actions_opened_file_id_stored_files FOREIGN KEY (opened_file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT fk_corrective_actions_resolved_file_id_stored_files FOREIGN KEY (resolved_file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.corrective_actions
    ADD CONSTRAINT fk_corrective_actions_survey_id_surveys FOREIGN KEY (survey_id) REFERENCES public.surveys(id);

ALTER TABLE ONLY public.email_messages
    ADD CONSTRAINT fk_email_messages_survey_id_surveys FOREIGN KEY (survey_id) REFERENCES public.surveys(id);

ALTER TABLE ONLY public.findings
    ADD CONSTRAINT fk_findings_file_id_stored_files FOREIGN KEY (file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.findings
    ADD CONSTRAINT fk_findings_survey_id_surveys FOREIGN KEY (survey_id) REFERENCES public.surveys(id);

ALTER TABLE ONLY public.registry_alias
    ADD CONSTRAINT fk_registry_alias_import_id_registry_import FOREIGN KEY (import_id) REFERENCES public.registry_import(id);

ALTER TABLE ONLY public.registry_alias
    ADD CONSTRAINT fk_registry_alias_smelter_id_registry_facility FOREIGN KEY (smelter_id) REFERENCES public.registry_facility(smelter_id);

ALTER TABLE ONLY public.registry_facility
    ADD CONSTRAINT fk_registry_facility_first_import_id_registry_import FOREIGN KEY (first_import_id) REFERENCES public.registry_import(id);

ALTER TABLE ONLY public.registry_status
    ADD CONSTRAINT fk_registry_status_import_id_registry_import FOREIGN KEY (import_id) REFERENCES public.registry_import(id);

ALTER TABLE ONLY public.registry_status
    ADD CONSTRAINT fk_registry_status_smelter_id_registry_facility FOREIGN KEY (smelter_id) REFERENCES public.registry_facility(smelter_id);

ALTER TABLE ONLY public.report_declarations
    ADD CONSTRAINT fk_report_declarations_file_id_stored_files FOREIGN KEY (file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.stored_files
    ADD CONSTRAINT fk_stored_files_survey_id_surveys FOREIGN KEY (survey_id) REFERENCES public.surveys(id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT fk_surveys_campaign_id_campaigns FOREIGN KEY (campaign_id) REFERENCES public.campaigns(id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT fk_surveys_last_file_id_stored_files FOREIGN KEY (last_file_id) REFERENCES public.stored_files(id);

ALTER TABLE ONLY public.surveys
    ADD CONSTRAINT fk_surveys_supplier_id_suppliers FOREIGN KEY (supplier_id) REFERENCES public.suppliers(id);
