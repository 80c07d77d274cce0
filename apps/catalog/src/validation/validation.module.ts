import { Module } from '@nestjs/common';
import { ValidationController } from './validation.controller.js';

@Module({ controllers: [ValidationController] })
export class ValidationModule {}
