"""The audit vocabulary: every action and every kind of entity an audit event names, once (decision 0003)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    LOGIN_FAIL = "login.fail"
    LOGIN_LOCKED = "login.locked"
    PASSWORD_CHANGE = "password.change"
    ALLOCATION_LEGACY = "allocation.legacy"
    API_CALL = "api.call"
    API_TOKEN_ISSUE = "api_token.issue"
    API_TOKEN_REVOKE = "api_token.revoke"
    ALLOCATION_RUN = "allocation.run"
    BILLING_RUN = "billing.run"
    CLAIM_APPROVED = "claim.approved"
    CLAIM_DOCUMENTS = "claim.documents"
    CLAIM_DOCUMENT_ADD = "claim.document_add"
    CLAIM_FILE = "claim.file"
    CLAIM_PAID = "claim.paid"
    CLAIM_REJECT = "claim.reject"
    CLAIM_SCHOLARSHIP_FILE = "claim.scholarship_file"
    CLAIM_VERIFIED = "claim.verified"
    CONTRIBUTION_DISCOUNT_CREDIT = "contribution.discount_credit"
    COVERAGE_TARGET_SET = "coverage_target.set"
    DEDUPE_RUN = "dedupe.run"
    DISABILITY_TABLE_LOAD = "disability_table.load"
    DISCOUNT_ADD = "discount.add"
    DISCOUNT_CHANGE = "discount.change"
    DONATION_CREATE = "donation.create"
    IMPORT_COMMIT = "import.commit"
    IMPORT_CONFIRM = "import.confirm"
    IMPORT_UPLOAD = "import.upload"
    BANK_ADD = "bank.add"
    BANK_CHANGE = "bank.change"
    INCOMETIER_ADD = "incometier.add"
    INCOMETIER_CHANGE = "incometier.change"
    LINKAGE_SETTINGS = "linkage.settings"
    MEMBERSHIP_REACTIVATE = "membership.reactivate"
    MEMBERSHIP_REGISTER_BULK = "membership.register_bulk"
    NIK_CONFLICT_RESOLVE = "nik_conflict.resolve"
    PAIR_DISMISS = "pair.dismiss"
    PAYERTYPESETTING_ADD = "payertypesetting.add"
    PAYERTYPESETTING_CHANGE = "payertypesetting.change"
    PAYER_ASSIGN = "payer.assign"
    PAYER_CREATE = "payer.create"
    NOTIFICATION_REFUSE = "notification.refuse"
    PAYMENT_RECORD = "payment.record"
    PAYMENT_RESOLVE = "payment.resolve"
    PROGRAM_BUDGET_CHANGE = "program.budget_change"
    PROGRAM_CLOSE = "program.close"
    PROGRAM_CREATE = "program.create"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_REJECT = "proposal.reject"
    RATERULE_ADD = "raterule.add"
    RATERULE_CHANGE = "raterule.change"
    REGIONS_LOAD = "regions.load"
    SPONSOR_CREATE = "sponsor.create"
    STATEMENT_IMPORT = "statement.import"
    USER_PROFILE_SET = "user_profile.set"
    WORKER_MERGE = "worker.merge"
    WORKER_MERGE_SURVIVOR = "worker.merge_survivor"
    WORKER_MERGE_UNDO = "worker.merge_undo"
    WORKER_NIK_CHECK = "worker.nik_check"
    WORKER_REGISTER = "worker.register"
    WORKER_UPDATE = "worker.update"


class Entity(StrEnum):
    """What an audit event is about; a worker's history is every event with Entity.WORKER and its id."""

    ALLOCATION_RUN = "allocation_run"
    API_TOKEN = "api_token"
    BILLING_RUN = "billing_run"
    BANK_NOTIFICATION = "bank_notification"
    CANDIDATE_PAIR = "candidate_pair"
    CLAIM = "claim"
    COVERAGE_TARGET = "coverage_target"
    DEDUPE_RUN = "dedupe_run"
    DISABILITY_RATE = "disability_rate"
    DISCOUNT = "discount"
    IMPORT_BATCH = "import_batch"
    BANK = "bank"
    INCOMETIER = "incometier"
    LEDGER = "ledger"
    LINKAGE_SETTINGS = "linkage_settings"
    MEMBERSHIP_SET = "membership_set"
    NIK_CONFLICT = "nik_conflict"
    PAYER = "payer"
    PAYERTYPESETTING = "payertypesetting"
    PAYMENT = "payment"
    PROGRAM = "program"
    RATERULE = "raterule"
    REGION_SET = "region_set"
    SPONSOR = "sponsor"
    STATEMENT = "statement"
    USER = "user"
    WORKER = "worker"


# What each action is called on a page (a worker's history, the audit list): words, never the code.
ACTION_LABELS = {
    AuditAction.LOGIN_FAIL: "Gagal masuk", AuditAction.LOGIN_LOCKED: "Dikunci karena gagal masuk",
    AuditAction.PASSWORD_CHANGE: "Kata sandi diganti", AuditAction.API_CALL: "Panggilan API",
    AuditAction.API_TOKEN_ISSUE: "Token API diterbitkan", AuditAction.API_TOKEN_REVOKE: "Token API dicabut",
    AuditAction.ALLOCATION_LEGACY: "Pendanaan lama dicatat", AuditAction.ALLOCATION_RUN: "Alokasi program",
    AuditAction.BILLING_RUN: "Penagihan", AuditAction.CLAIM_APPROVED: "Klaim disetujui",
    AuditAction.CLAIM_DOCUMENTS: "Dokumen klaim lengkap", AuditAction.CLAIM_DOCUMENT_ADD: "Dokumen klaim diunggah",
    AuditAction.CLAIM_FILE: "Klaim dilaporkan", AuditAction.CLAIM_PAID: "Klaim dibayar",
    AuditAction.CLAIM_REJECT: "Klaim ditolak", AuditAction.CLAIM_SCHOLARSHIP_FILE: "Beasiswa diajukan",
    AuditAction.CLAIM_VERIFIED: "Klaim diverifikasi", AuditAction.CONTRIBUTION_DISCOUNT_CREDIT: "Potongan iuran",
    AuditAction.COVERAGE_TARGET_SET: "Target cakupan dicatat", AuditAction.DEDUPE_RUN: "Pemeriksaan data ganda", AuditAction.DISABILITY_TABLE_LOAD: "Tabel cacat dimuat",
    AuditAction.DISCOUNT_ADD: "Potongan ditambah", AuditAction.DISCOUNT_CHANGE: "Potongan diubah",
    AuditAction.DONATION_CREATE: "Donasi dibuat", AuditAction.IMPORT_COMMIT: "Didaftarkan dari daftar",
    AuditAction.IMPORT_CONFIRM: "Daftar dikonfirmasi", AuditAction.IMPORT_UPLOAD: "Daftar diunggah",
    AuditAction.BANK_ADD: "Bank ditambah", AuditAction.BANK_CHANGE: "Bank diubah",
    AuditAction.INCOMETIER_ADD: "Tingkat penghasilan ditambah", AuditAction.INCOMETIER_CHANGE: "Tingkat penghasilan diubah",
    AuditAction.LINKAGE_SETTINGS: "Pengaturan data ganda", AuditAction.MEMBERSHIP_REACTIVATE: "Kepesertaan diaktifkan kembali",
    AuditAction.MEMBERSHIP_REGISTER_BULK: "Kartu KPJ diterbitkan", AuditAction.NIK_CONFLICT_RESOLVE: "Konflik NIK diselesaikan",
    AuditAction.PAIR_DISMISS: "Bukan orang yang sama", AuditAction.PAYERTYPESETTING_ADD: "Jenis pembayar ditambah",
    AuditAction.PAYERTYPESETTING_CHANGE: "Jenis pembayar diubah", AuditAction.PAYER_ASSIGN: "Pembayar ditetapkan",
    AuditAction.PAYER_CREATE: "Pembayar dibuat", AuditAction.NOTIFICATION_REFUSE: "Notifikasi bank ditolak",
    AuditAction.PAYMENT_RECORD: "Pembayaran dicatat", AuditAction.PAYMENT_RESOLVE: "Pembayaran diselesaikan",
    AuditAction.PROGRAM_BUDGET_CHANGE: "Anggaran program diubah", AuditAction.PROGRAM_CLOSE: "Program ditutup",
    AuditAction.PROGRAM_CREATE: "Program dibuat", AuditAction.PROPOSAL_ACCEPT: "Usulan perubahan diterima",
    AuditAction.PROPOSAL_REJECT: "Usulan perubahan ditolak", AuditAction.RATERULE_ADD: "Tarif ditambah",
    AuditAction.RATERULE_CHANGE: "Tarif diubah", AuditAction.REGIONS_LOAD: "Wilayah dimuat",
    AuditAction.SPONSOR_CREATE: "Sponsor dibuat", AuditAction.STATEMENT_IMPORT: "Rekening koran diimpor",
    AuditAction.USER_PROFILE_SET: "Peran pengguna diatur", AuditAction.WORKER_MERGE: "Digabung ke data lain",
    AuditAction.WORKER_MERGE_SURVIVOR: "Menerima data yang digabung", AuditAction.WORKER_MERGE_UNDO: "Penggabungan dibatalkan",
    AuditAction.WORKER_NIK_CHECK: "NIK diperiksa kantor cabang", AuditAction.WORKER_REGISTER: "Didaftarkan",
    AuditAction.WORKER_UPDATE: "Data diubah",
}  # fmt: skip
