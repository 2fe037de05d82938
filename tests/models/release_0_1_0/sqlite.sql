-- The schema release 0.1.0 made on SQLite (create_all, then the console's case-list indexes), from sqlite_master.

CREATE TABLE suppliers (
	id INTEGER NOT NULL, 
	supplier_id VARCHAR(64) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	contact_name VARCHAR(200) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	owner_email VARCHAR(320) NOT NULL, 
	minerals JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_suppliers PRIMARY KEY (id), 
	CONSTRAINT uq_suppliers_supplier_id UNIQUE (supplier_id)
);
CREATE INDEX ix_suppliers_name_lower ON suppliers (lower(name));
CREATE INDEX ix_suppliers_owner_email ON suppliers (owner_email);
CREATE INDEX ix_suppliers_name ON suppliers (name);
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(320) NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	subject VARCHAR(200) NOT NULL, 
	"before" JSON, 
	"after" JSON, 
	idempotency_key VARCHAR(300), 
	seq INTEGER NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_audit_events PRIMARY KEY (id), 
	CONSTRAINT uq_audit_events_idempotency_key UNIQUE (idempotency_key), 
	CONSTRAINT uq_audit_events_seq UNIQUE (seq)
);
CREATE INDEX ix_audit_events_at ON audit_events (at);
CREATE INDEX ix_audit_events_subject ON audit_events (subject);
CREATE TABLE audit_chain_head (
	id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_audit_chain_head PRIMARY KEY (id)
);
CREATE TABLE campaigns (
	id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	template VARCHAR(8) NOT NULL, 
	minerals JSON NOT NULL, 
	due_date DATE NOT NULL, 
	reminder_every VARCHAR(16) NOT NULL, 
	reminders INTEGER NOT NULL, 
	escalation_after VARCHAR(16) NOT NULL, 
	page_size INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	surveys_started INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	CONSTRAINT pk_campaigns PRIMARY KEY (id), 
	CONSTRAINT uq_campaigns_name UNIQUE (name)
);
CREATE TABLE smelter_outreach (
	id INTEGER NOT NULL, 
	smelter_id VARCHAR(40) NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(320) NOT NULL, 
	channel VARCHAR(40) NOT NULL, 
	note TEXT NOT NULL, 
	CONSTRAINT pk_smelter_outreach PRIMARY KEY (id)
);
CREATE INDEX ix_smelter_outreach_smelter_id ON smelter_outreach (smelter_id);
CREATE TABLE registry_import (
	id INTEGER NOT NULL, 
	file_name VARCHAR(255) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	as_of DATE NOT NULL, 
	imported_at DATETIME NOT NULL, 
	rows_read INTEGER NOT NULL, 
	facilities_added INTEGER NOT NULL, 
	aliases_added INTEGER NOT NULL, 
	statuses_added INTEGER NOT NULL, 
	rejected JSON NOT NULL, 
	CONSTRAINT pk_registry_import PRIMARY KEY (id)
);
CREATE INDEX ix_registry_import_sha256 ON registry_import (sha256);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR(320) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	failed_attempts INTEGER NOT NULL, 
	locked_until DATETIME, 
	session_epoch INTEGER NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_login_at DATETIME, 
	CONSTRAINT pk_users PRIMARY KEY (id), 
	CONSTRAINT uq_users_email UNIQUE (email)
);
CREATE TABLE surveys (
	id INTEGER NOT NULL, 
	campaign_id INTEGER NOT NULL, 
	supplier_id INTEGER NOT NULL, 
	workflow_id VARCHAR(200) NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	due_at DATETIME NOT NULL, 
	reminders_sent INTEGER NOT NULL, 
	fix_rounds INTEGER NOT NULL, 
	risk VARCHAR(20), 
	exempt_reason TEXT, 
	last_file_id INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	requested_at DATETIME, 
	responded_at DATETIME, 
	closed_at DATETIME, 
	CONSTRAINT pk_surveys PRIMARY KEY (id), 
	CONSTRAINT uq_surveys_campaign_id UNIQUE (campaign_id, supplier_id), 
	CONSTRAINT fk_surveys_campaign_id_campaigns FOREIGN KEY(campaign_id) REFERENCES campaigns (id), 
	CONSTRAINT fk_surveys_supplier_id_suppliers FOREIGN KEY(supplier_id) REFERENCES suppliers (id), 
	CONSTRAINT uq_surveys_workflow_id UNIQUE (workflow_id), 
	CONSTRAINT fk_surveys_last_file_id_stored_files FOREIGN KEY(last_file_id) REFERENCES stored_files (id)
);
CREATE INDEX ix_surveys_campaign_id ON surveys (campaign_id);
CREATE INDEX ix_surveys_due_at ON surveys (due_at);
CREATE INDEX ix_surveys_risk ON surveys (risk);
CREATE INDEX ix_surveys_campaign_due ON surveys (campaign_id, due_at);
CREATE INDEX ix_surveys_progress ON surveys (campaign_id, stage, requested_at, responded_at);
CREATE INDEX ix_surveys_updated_at ON surveys (updated_at);
CREATE INDEX ix_surveys_supplier_stage_risk ON surveys (supplier_id, stage, risk);
CREATE INDEX ix_surveys_supplier_id ON surveys (supplier_id);
CREATE INDEX ix_surveys_stage ON surveys (stage);
CREATE TABLE registry_facility (
	smelter_id VARCHAR(20) NOT NULL, 
	metal VARCHAR(40) NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	country VARCHAR(100), 
	street VARCHAR(300), 
	city VARCHAR(120), 
	state VARCHAR(120), 
	first_import_id INTEGER NOT NULL, 
	CONSTRAINT pk_registry_facility PRIMARY KEY (smelter_id), 
	CONSTRAINT fk_registry_facility_first_import_id_registry_import FOREIGN KEY(first_import_id) REFERENCES registry_import (id)
);
CREATE INDEX ix_registry_facility_metal ON registry_facility (metal);
CREATE TABLE stored_files (
	id INTEGER NOT NULL, 
	survey_id INTEGER, 
	sha256 VARCHAR(64) NOT NULL, 
	size INTEGER NOT NULL, 
	path VARCHAR(500) NOT NULL, 
	original_name VARCHAR(300) NOT NULL, 
	uploaded_by VARCHAR(320) NOT NULL, 
	check_status VARCHAR(16) NOT NULL, 
	issue_count INTEGER NOT NULL, 
	issues JSON NOT NULL, 
	family VARCHAR(8), 
	version VARCHAR(16), 
	created_at DATETIME NOT NULL, 
	checked_at DATETIME, 
	CONSTRAINT pk_stored_files PRIMARY KEY (id), 
	CONSTRAINT fk_stored_files_survey_id_surveys FOREIGN KEY(survey_id) REFERENCES surveys (id)
);
CREATE INDEX ix_stored_files_sha256 ON stored_files (sha256);
CREATE INDEX ix_stored_files_survey_id ON stored_files (survey_id);
CREATE TABLE email_messages (
	id INTEGER NOT NULL, 
	survey_id INTEGER, 
	kind VARCHAR(20) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	"to" JSON NOT NULL, 
	cc JSON NOT NULL, 
	subject VARCHAR(500) NOT NULL, 
	text_body TEXT NOT NULL, 
	html_body TEXT NOT NULL, 
	links JSON NOT NULL, 
	idempotency_key VARCHAR(300) NOT NULL, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	attempts INTEGER NOT NULL, 
	last_error TEXT, 
	CONSTRAINT pk_email_messages PRIMARY KEY (id), 
	CONSTRAINT fk_email_messages_survey_id_surveys FOREIGN KEY(survey_id) REFERENCES surveys (id), 
	CONSTRAINT uq_email_messages_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_email_messages_survey_id ON email_messages (survey_id);
CREATE TABLE registry_alias (
	id INTEGER NOT NULL, 
	smelter_id VARCHAR(20) NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	alias VARCHAR(300) NOT NULL, 
	import_id INTEGER NOT NULL, 
	CONSTRAINT pk_registry_alias PRIMARY KEY (id), 
	CONSTRAINT uq_registry_alias_key UNIQUE (smelter_id, kind, alias), 
	CONSTRAINT fk_registry_alias_smelter_id_registry_facility FOREIGN KEY(smelter_id) REFERENCES registry_facility (smelter_id), 
	CONSTRAINT fk_registry_alias_import_id_registry_import FOREIGN KEY(import_id) REFERENCES registry_import (id)
);
CREATE INDEX ix_registry_alias_smelter_id ON registry_alias (smelter_id);
CREATE TABLE registry_status (
	id INTEGER NOT NULL, 
	smelter_id VARCHAR(20) NOT NULL, 
	import_id INTEGER NOT NULL, 
	as_of DATE NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	raw_status VARCHAR(120), 
	last_audit DATE, 
	cycle_days INTEGER, 
	CONSTRAINT pk_registry_status PRIMARY KEY (id), 
	CONSTRAINT fk_registry_status_smelter_id_registry_facility FOREIGN KEY(smelter_id) REFERENCES registry_facility (smelter_id), 
	CONSTRAINT fk_registry_status_import_id_registry_import FOREIGN KEY(import_id) REFERENCES registry_import (id)
);
CREATE INDEX ix_registry_status_lookup ON registry_status (smelter_id, as_of);
CREATE INDEX ix_registry_status_import_id ON registry_status (import_id);
CREATE TABLE findings (
	id INTEGER NOT NULL, 
	survey_id INTEGER NOT NULL, 
	file_id INTEGER, 
	code VARCHAR(64) NOT NULL, 
	severity VARCHAR(16) NOT NULL, 
	message TEXT NOT NULL, 
	metal VARCHAR(40), 
	smelter_id VARCHAR(40), 
	details JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_findings PRIMARY KEY (id), 
	CONSTRAINT fk_findings_survey_id_surveys FOREIGN KEY(survey_id) REFERENCES surveys (id), 
	CONSTRAINT fk_findings_file_id_stored_files FOREIGN KEY(file_id) REFERENCES stored_files (id)
);
CREATE INDEX ix_findings_metal ON findings (metal);
CREATE INDEX ix_findings_survey_id ON findings (survey_id);
CREATE INDEX ix_findings_smelter_id ON findings (smelter_id);
CREATE TABLE corrective_actions (
	id INTEGER NOT NULL, 
	survey_id INTEGER NOT NULL, 
	n INTEGER NOT NULL, 
	workflow_id VARCHAR(200) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	group_key VARCHAR(120) NOT NULL, 
	metal VARCHAR(40), 
	severity VARCHAR(16) NOT NULL, 
	required_outcome TEXT NOT NULL, 
	owner VARCHAR(320), 
	due_at DATETIME, 
	status VARCHAR(16) NOT NULL, 
	findings JSON NOT NULL, 
	justification TEXT, 
	opened_file_id INTEGER NOT NULL, 
	resolved_file_id INTEGER, 
	follow_ups INTEGER NOT NULL, 
	opened_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	CONSTRAINT pk_corrective_actions PRIMARY KEY (id), 
	CONSTRAINT uq_corrective_actions_survey_id UNIQUE (survey_id, n), 
	CONSTRAINT fk_corrective_actions_survey_id_surveys FOREIGN KEY(survey_id) REFERENCES surveys (id), 
	CONSTRAINT uq_corrective_actions_workflow_id UNIQUE (workflow_id), 
	CONSTRAINT fk_corrective_actions_opened_file_id_stored_files FOREIGN KEY(opened_file_id) REFERENCES stored_files (id), 
	CONSTRAINT fk_corrective_actions_resolved_file_id_stored_files FOREIGN KEY(resolved_file_id) REFERENCES stored_files (id)
);
CREATE INDEX ix_corrective_actions_status ON corrective_actions (status);
CREATE INDEX ix_corrective_actions_severity ON corrective_actions (severity);
CREATE INDEX ix_corrective_actions_owner ON corrective_actions (owner);
CREATE INDEX ix_corrective_actions_survey_id ON corrective_actions (survey_id);
CREATE TABLE report_declarations (
	file_id INTEGER NOT NULL, 
	family VARCHAR(8) NOT NULL, 
	version VARCHAR(16) NOT NULL, 
	minerals JSON NOT NULL, 
	answers JSON NOT NULL, 
	smelters JSON NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_report_declarations PRIMARY KEY (file_id), 
	CONSTRAINT fk_report_declarations_file_id_stored_files FOREIGN KEY(file_id) REFERENCES stored_files (id)
);
CREATE TABLE action_events (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(320) NOT NULL, 
	event VARCHAR(64) NOT NULL, 
	note TEXT NOT NULL, 
	file_id INTEGER, 
	idempotency_key VARCHAR(300), 
	CONSTRAINT pk_action_events PRIMARY KEY (id), 
	CONSTRAINT fk_action_events_action_id_corrective_actions FOREIGN KEY(action_id) REFERENCES corrective_actions (id), 
	CONSTRAINT fk_action_events_file_id_stored_files FOREIGN KEY(file_id) REFERENCES stored_files (id), 
	CONSTRAINT uq_action_events_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_action_events_action_id ON action_events (action_id);
CREATE TABLE action_evidence (
	id INTEGER NOT NULL, 
	action_id INTEGER NOT NULL, 
	file_id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	submitted_by VARCHAR(320) NOT NULL, 
	note TEXT NOT NULL, 
	review VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_action_evidence PRIMARY KEY (id), 
	CONSTRAINT fk_action_evidence_action_id_corrective_actions FOREIGN KEY(action_id) REFERENCES corrective_actions (id), 
	CONSTRAINT fk_action_evidence_file_id_stored_files FOREIGN KEY(file_id) REFERENCES stored_files (id)
);
CREATE INDEX ix_action_evidence_action_id ON action_evidence (action_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events WHEN OLD.hash IS NOT NULL BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
